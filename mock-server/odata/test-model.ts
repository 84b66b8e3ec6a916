/** A small customer/transaction model and records shared by this folder's tests. */

import type { SageRecord } from '../world/model.ts';
import type { ResourceModel } from './model.ts';

export const currencyModel: ResourceModel = {
  name: 'currency',
  fields: { id: { type: 'integer' }, name: { type: 'string' }, symbol: { type: 'string' } },
  expandable: {},
};

export const contactModel: ResourceModel = {
  name: 'customer_contact',
  fields: { id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string' } },
  expandable: { currency: currencyModel },
};

/** An inline object: served whether expanded or not, with a navigation property of its own. */
export const mainAddressModel: ResourceModel = {
  name: 'customer.main_address',
  fields: { city: { type: 'string' }, postcode: { type: 'string' } },
  expandable: { address_currency: currencyModel },
  embedded: true,
};

export const customerModel: ResourceModel = {
  name: 'customer',
  fields: {
    id: { type: 'integer' },
    reference: { type: 'string' },
    name: { type: 'string' },
    balance: { type: 'number' },
    credit_limit: { type: 'number', nullable: true },
    on_hold: { type: 'boolean' },
    account_status_type: {
      type: 'string',
      enumValues: { AccountStatusActive: 0, AccountStatusHidden: 1 },
    },
    currency_id: { type: 'integer' },
    account_opened: { type: 'date-time', nullable: true },
    date_time_updated: { type: 'date-time' },
    main_address: { type: 'object' },
    memos: { type: 'array' },
  },
  expandable: { currency: currencyModel, contacts: contactModel, main_address: mainAddressModel },
};

export const transactionModel: ResourceModel = {
  name: 'sales_posted_transaction',
  fields: {
    id: { type: 'integer' },
    customer_id: { type: 'integer' },
    trader_transaction_type: {
      type: 'string',
      enumValues: {
        TradingAccountEntryTypeInvoice: 1,
        TradingAccountEntryTypeCreditNote: 2,
        TradingAccountEntryTypePurchasePaymentSalesReceipt: 4,
      },
    },
    transaction_date: { type: 'date-time' },
    document_gross_value: { type: 'number' },
  },
  expandable: { customer: customerModel },
  defaultOrder: [
    { field: 'transaction_date', direction: 'desc' },
    { field: 'id', direction: 'asc' },
  ],
};

/** Five customers; comments note what each is there to exercise. */
export function customers(): SageRecord[] {
  return [
    {
      id: 1,
      reference: 'ACME01',
      name: 'Acme Ltd',
      balance: 1500.5,
      credit_limit: 5000,
      on_hold: false,
      account_status_type: 'AccountStatusActive',
      currency_id: 1,
      account_opened: '2020-01-15T00:00:00',
      date_time_updated: '2025-03-01T09:12:44.120Z',
      main_address: { city: 'Leeds' },
      memos: [],
    },
    {
      id: 2,
      reference: 'BETA02',
      name: "O'Brien & Sons", // a quote to escape
      balance: 0,
      credit_limit: null, // null
      on_hold: true,
      account_status_type: 'AccountStatusHidden',
      currency_id: 2,
      account_opened: '2021-06-30T00:00:00',
      date_time_updated: '2025-03-02T00:00:00Z',
      main_address: { city: 'York' },
      memos: [],
    },
    {
      id: 3,
      reference: 'acme03', // lower case
      name: 'acme holdings',
      balance: -20,
      credit_limit: 1000,
      on_hold: false,
      account_status_type: 'AccountStatusActive',
      currency_id: 1,
      account_opened: '2020-01-15T00:00:00',
      date_time_updated: '2025-02-28T23:59:59.999Z',
      main_address: { city: 'Hull' },
      memos: [],
    },
    {
      id: 4,
      reference: 'GAMMA4',
      name: 'Gamma PLC',
      balance: 1000,
      credit_limit: 0,
      on_hold: false,
      account_status_type: 1, // enum stored as its number
      currency_id: 1,
      // account_opened missing
      date_time_updated: '2025-03-01T09:12:44.12Z', // same instant as customer 1, fewer digits
      main_address: { city: 'Bath' },
      memos: [],
    },
    {
      id: 5,
      reference: 'ZED05',
      name: 'Zed Café',
      balance: 1000,
      credit_limit: 2000,
      on_hold: true,
      account_status_type: 'AccountStatusActive',
      currency_id: 3,
      account_opened: '2019-12-31T23:00:00',
      date_time_updated: '2025-03-01T10:12:44.12+01:00', // same instant again, with an offset
      main_address: { city: 'Ely' },
      memos: [],
    },
  ];
}

/** `count` posted transactions of a synthetic ledger: a third credit notes, dates spread over 2024's months. */
export function syntheticTransactions(count: number): SageRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i,
    customer_id: i % 1000,
    trader_transaction_type:
      i % 3 === 0 ? 'TradingAccountEntryTypeCreditNote' : 'TradingAccountEntryTypeInvoice',
    transaction_date: `2024-${String((i % 12) + 1).padStart(2, '0')}-15T00:00:00`,
    document_gross_value: i % 997,
  }));
}

/** A three-clause `$filter` over `syntheticTransactions`: an enum, a date and a number. */
export const THREE_CLAUSE_FILTER =
  "trader_transaction_type eq 'TradingAccountEntryTypeInvoice' and transaction_date ge 2024-06-01 and document_gross_value gt 100";

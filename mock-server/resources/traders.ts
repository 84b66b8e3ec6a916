/**
 * Writes to the sales and purchase ledger accounts: customers and suppliers, their contacts and customers'
 * delivery addresses (Sage's sales.json and purchases.json). Balances and order values stay as the server derives
 * them; an account with transactions or orders cannot be deleted.
 */

import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { Change, TableName } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { contactRowChanges } from './contact-rows.ts';
import { stampRecord, withDefaults } from './records.ts';
import {
  put,
  requireNominal,
  requireReference,
  requireUnique,
  type WritableResource,
  type WriteContext,
} from './writable.ts';

/** The company's base currency, the UK and the standard-rate tax code: what a new account starts with. */
export function companyDefaults(ctx: WriteContext): {
  currency: SageRecord | undefined;
  country: SageRecord | undefined;
  standardRate: SageRecord | undefined;
} {
  return {
    currency: ctx.company
      .table('currencies')
      .all()
      .find((c) => c.is_base_currency === true),
    country: ctx.company
      .table('country_codes')
      .all()
      .find((c) => c.code === 'GB'),
    standardRate: ctx.company
      .table('tax_codes')
      .all()
      .find((t) => t.code === 1),
  };
}

const nameOf = (record: SageRecord | undefined): string =>
  typeof record?.name === 'string' ? record.name : '';

type TraderKind = 'customer' | 'supplier';

interface TraderShape {
  collection: 'customers' | 'suppliers';
  transactions: TableName;
  orders: TableName;
  contacts: TableName;
  addressKey: 'customer_id' | 'supplier_id';
  /** The nominal account a new account posts to by default, when the chart has it. */
  defaultNominal: string;
}

const SHAPES: Readonly<Record<TraderKind, TraderShape>> = {
  customer: {
    collection: 'customers',
    transactions: 'sales_posted_transactions',
    orders: 'sop_orders',
    contacts: 'customer_contacts',
    addressKey: 'customer_id',
    defaultNominal: '4000',
  },
  supplier: {
    collection: 'suppliers',
    transactions: 'purchase_posted_transactions',
    orders: 'pop_orders',
    contacts: 'supplier_contacts',
    addressKey: 'supplier_id',
    defaultNominal: '5000',
  },
};

function traderResource(kind: TraderKind): WritableResource {
  const shape = SHAPES[kind];
  const definition = loadCatalog().resource(shape.collection);
  const sales = kind === 'customer';
  return {
    definition,
    create: true,
    update: true,
    remove: true,
    template: { path: `${shape.collection}_new` },
    start(ctx) {
      const record = withDefaults(blankRecord(shape.collection, ctx.now), ctx.schema(definition.schema));
      const { currency, country, standardRate } = companyDefaults(ctx);
      record.currency_id = currency?.id ?? null;
      record.country_code_id = country?.id ?? null;
      record.default_tax_code_id = standardRate?.id ?? null;
      record.payment_terms_days = 30;
      record.account_opened = ctx.today;
      const nominal = ctx.company
        .table('nominal_codes')
        .lookup('reference', shape.defaultNominal)
        ?.find((n) => n.cost_centre_code === '' && n.department_code === '');
      if (nominal) {
        record.default_nominal_code_id = nominal.id ?? null;
        record.default_nominal_code_reference = shape.defaultNominal;
      }
      const address = record.main_address as SageRecord;
      address.address_country_code_id = country?.id ?? null;
      address.country = nameOf(country);
      (record.status as SageRecord).is_live = true;
      return record;
    },
    prepare(record, previous, ctx) {
      requireReference(ctx, record, 'currency_id', 'currencies', 'currency');
      requireReference(ctx, record, 'country_code_id', 'country_codes', 'country code');
      requireReference(ctx, record, 'default_tax_code_id', 'tax_codes', 'tax code');
      const address = { ...(record.main_address as SageRecord) };
      const country = requireReference(
        ctx,
        address,
        'address_country_code_id',
        'country_codes',
        'country code',
        'main_address.address_country_code_id',
      );
      address.country = nameOf(country);
      record.main_address = address;
      requireUnique(ctx, record, shape.collection, 'reference', kind);
      const nominal = requireNominal(
        ctx,
        record.default_nominal_code_reference,
        record.default_nominal_code_cost_centre,
        record.default_nominal_code_department,
        'default_nominal_code_reference',
      );
      record.default_nominal_code_id = nominal?.id ?? null;
      if (previous && previous.currency_id !== record.currency_id && hasTransactions(ctx, shape, previous)) {
        throw badRequest(`The currency_id of a ${kind} with transactions cannot be changed.`);
      }
      const note = record.credit_memo_note as SageRecord;
      const priorNote = previous?.credit_memo_note as SageRecord | undefined;
      if (note.note !== (priorNote?.note ?? ''))
        record.credit_memo_note = { ...note, created_by: ctx.user.email.slice(0, 50) };
      return () => {
        stampRecord(record, previous, ctx.schema(definition.schema), ctx.now, () => ctx.company.reserveId());
        record.main_address = {
          ...(record.main_address as SageRecord),
          [shape.addressKey]: record.id ?? null,
        };
        if (!sales) record.bank = { ...(record.bank as SageRecord), supplier_id: record.id ?? null };
        return { record, changes: [put(shape.collection, record)] };
      };
    },
    prepareDelete(record, ctx) {
      if (hasTransactions(ctx, shape, record)) {
        throw badRequest(
          `The ${kind} '${String(record.reference)}' cannot be deleted because it has transactions.`,
        );
      }
      if ((ctx.company.table(shape.orders).lookup(shape.addressKey, record.id as number) ?? []).length > 0) {
        throw badRequest(
          `The ${kind} '${String(record.reference)}' cannot be deleted because it has ${sales ? 'sales' : 'purchase'} orders.`,
        );
      }
      // Its contacts (and a customer's delivery addresses) go with it.
      const owned = (table: TableName): Change[] =>
        (ctx.company.table(table).lookup(shape.addressKey, record.id as number) ?? []).map((r) => ({
          kind: 'delete',
          table,
          id: r.id as number,
        }));
      const contacts = ctx.company.table(shape.contacts).lookup(shape.addressKey, record.id as number) ?? [];
      return [
        ...owned(shape.contacts),
        ...contactRowChanges(ctx, loadCatalog().resource(shape.contacts), contacts, []),
        ...(sales ? owned('customer_delivery_addresses') : []),
      ];
    },
  };
}

function hasTransactions(ctx: WriteContext, shape: TraderShape, record: SageRecord): boolean {
  return (
    (ctx.company.table(shape.transactions).lookup(shape.addressKey, record.id as number) ?? []).length > 0
  );
}

function contactResource(kind: TraderKind): WritableResource {
  const shape = SHAPES[kind];
  const definition = loadCatalog().resource(shape.contacts);
  return {
    definition,
    // Created only under its account (`/customers/{customerId}/customer_contacts`), as the contract declares.
    create: false,
    update: true,
    remove: true,
    start(ctx, _request, owner) {
      const record = withDefaults(blankRecord(shape.contacts, ctx.now), ctx.schema(definition.schema));
      record[shape.addressKey] = owner?.id ?? null;
      return record;
    },
    prepare(record, previous, ctx) {
      record.name = [record.first_name, record.middle_name, record.last_name]
        .filter((part) => typeof part === 'string' && part !== '')
        .join(' ')
        .slice(0, 180);
      const siblings =
        ctx.company.table(shape.contacts).lookup(shape.addressKey, record[shape.addressKey] as number) ?? [];
      // An account's first contact is its default contact.
      if (!previous) record.is_default = siblings.length === 0;
      return () => {
        stampRecord(record, previous, ctx.schema(definition.schema), ctx.now, () => ctx.company.reserveId());
        return { record, changes: [put(shape.contacts, record)] };
      };
    },
    prepareDelete(record, ctx) {
      const others = (
        ctx.company.table(shape.contacts).lookup(shape.addressKey, record[shape.addressKey] as number) ?? []
      ).filter((c) => c.id !== record.id);
      // Its channels and roles go with it.
      const rows = contactRowChanges(ctx, definition, [record], others);
      if (record.is_default !== true) return rows;
      // The next contact becomes the default, so an account with contacts always has one.
      const next = others[0];
      return next
        ? [...rows, put(shape.contacts, { ...next, is_default: true, date_time_updated: ctx.now })]
        : rows;
    },
  };
}

const deliveryAddresses: WritableResource = {
  definition: loadCatalog().resource('customer_delivery_addresses'),
  create: true,
  update: true,
  remove: true,
  start(ctx) {
    return withDefaults(
      blankRecord('customer_delivery_addresses', ctx.now),
      ctx.schema('CustomerDeliveryAddress'),
    );
  },
  prepare(record, previous, ctx) {
    const table = 'customer_delivery_addresses';
    requireReference(ctx, record, 'customer_id', 'customers', 'customer');
    requireReference(ctx, record, 'tax_code_id', 'tax_codes', 'tax code');
    requireReference(ctx, record, 'country_code_id', 'country_codes', 'country code');
    record.country = nameOf(
      requireReference(ctx, record, 'address_country_code_id', 'country_codes', 'country code'),
    );
    // One default address per customer: choosing a new one clears the old.
    const others: Change[] =
      record.is_default === true
        ? (ctx.company.table(table).lookup('customer_id', record.customer_id as number) ?? [])
            .filter((a) => a.is_default === true && a.id !== record.id)
            .map((a) => put(table, { ...a, is_default: false, date_time_updated: ctx.now }))
        : [];
    return () => {
      stampRecord(record, previous, ctx.schema('CustomerDeliveryAddress'), ctx.now, () =>
        ctx.company.reserveId(),
      );
      return { record, changes: [put(table, record), ...others] };
    };
  },
};

export const traderResources: readonly WritableResource[] = [
  traderResource('customer'),
  traderResource('supplier'),
  contactResource('customer'),
  contactResource('supplier'),
  deliveryAddresses,
];

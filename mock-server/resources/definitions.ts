/**
 * The Sage 200 resources the sandbox serves, named by their API paths, with the contract schema that describes
 * each, the ledger module a user's role needs, the navigation properties `$expand` resolves, and the nested
 * collection paths Sage offers. The paths and verbs follow Sage's published OpenAPI files.
 */

import type { OrderKey } from '../odata/index.ts';
import type { TableName } from '../store/index.ts';
import type { SageModule } from '../world/model.ts';

export interface ExpandDefinition {
  collection: TableName;
  /** The field of the parent record holding the expanded record's id (with `many`: the child's field holding the parent's id). */
  foreignKey: string;
  /** An array of child records (an order's `lines`), not one record. */
  many?: true;
}

export interface ResourceDefinition {
  path: string;
  collection: TableName;
  /** Component schema name in contracts/sage200.openapi.yaml. */
  schema: string;
  /** Sage's singular resource name, used in messages. */
  noun: string;
  module: SageModule | undefined;
  byId: boolean;
  /** False when Sage has no list path for the resource, only `/{Id}` and nested lists (order lines). */
  list?: false;
  expand: Readonly<Record<string, ExpandDefinition>>;
  defaultOrder?: readonly OrderKey[];
}

export interface NestedDefinition {
  /** `customers/{customerId}/sales_posted_transactions` */
  parent: string;
  param: string;
  child: string;
  foreignKey: string;
}

const traderExpand = {
  currency: { collection: 'currencies', foreignKey: 'currency_id' },
  country_code: { collection: 'country_codes', foreignKey: 'country_code_id' },
  default_tax_code: { collection: 'tax_codes', foreignKey: 'default_tax_code_id' },
} as const satisfies Record<string, ExpandDefinition>;

const orderLineExpand = {
  product: { collection: 'products', foreignKey: 'product_id' },
  tax_code: { collection: 'tax_codes', foreignKey: 'tax_code_id' },
  warehouse: { collection: 'warehouses', foreignKey: 'warehouse_id' },
} as const satisfies Record<string, ExpandDefinition>;

export const RESOURCES: readonly ResourceDefinition[] = [
  {
    path: 'company_details',
    collection: 'company_details',
    schema: 'CompanyDetails',
    noun: 'company details',
    module: undefined,
    byId: true,
    expand: { country_code: { collection: 'country_codes', foreignKey: 'country_code_id' } },
  },
  {
    path: 'customers',
    collection: 'customers',
    schema: 'Customer',
    noun: 'customer',
    module: 'sales',
    byId: true,
    expand: traderExpand,
  },
  {
    path: 'suppliers',
    collection: 'suppliers',
    schema: 'Supplier',
    noun: 'supplier',
    module: 'purchase',
    byId: true,
    expand: traderExpand,
  },
  {
    path: 'nominal_codes',
    collection: 'nominal_codes',
    schema: 'NominalCode',
    noun: 'nominal code',
    module: 'nominal',
    byId: true,
    expand: {
      cost_centre: { collection: 'cost_centres', foreignKey: 'cost_centre_id' },
      department: { collection: 'departments', foreignKey: 'department_id' },
      report_category: { collection: 'nominal_report_categories', foreignKey: 'report_category_id' },
    },
  },
  {
    path: 'nominal_report_categories',
    collection: 'nominal_report_categories',
    schema: 'NominalReportCategory',
    noun: 'nominal report category',
    module: 'nominal',
    byId: true,
    expand: {},
  },
  {
    path: 'financial_year_period_views',
    collection: 'financial_year_period_views',
    schema: 'FinancialYearPeriodView',
    noun: 'financial year period',
    module: undefined,
    byId: false,
    expand: {},
    defaultOrder: [
      { field: 'financial_year_start_date', direction: 'asc' },
      { field: 'period_number', direction: 'asc' },
    ],
  },
  {
    path: 'nominal_period_value_views',
    collection: 'nominal_period_value_views',
    schema: 'NominalPeriodValueView',
    noun: 'nominal period value',
    module: 'nominal',
    byId: false,
    expand: {},
    defaultOrder: [
      { field: 'accounting_period_end_date', direction: 'desc' },
      { field: 'accounting_period_period_number', direction: 'desc' },
      { field: 'nominal_code_id', direction: 'desc' },
    ],
  },
  {
    path: 'tax_codes',
    collection: 'tax_codes',
    schema: 'TaxCode',
    noun: 'tax code',
    module: undefined,
    byId: true,
    expand: {},
  },
  {
    path: 'currencies',
    collection: 'currencies',
    schema: 'Currency',
    noun: 'currency',
    module: undefined,
    byId: true,
    expand: {},
  },
  {
    path: 'country_codes',
    collection: 'country_codes',
    schema: 'CountryCode',
    noun: 'country code',
    module: undefined,
    byId: true,
    expand: {},
  },
  {
    path: 'banks',
    collection: 'banks',
    schema: 'Bank',
    noun: 'bank',
    module: 'cash_book',
    byId: true,
    expand: { account_currency: { collection: 'currencies', foreignKey: 'account_currency_id' } },
  },
  {
    path: 'departments',
    collection: 'departments',
    schema: 'Department',
    noun: 'department',
    module: 'nominal',
    byId: true,
    expand: {},
  },
  {
    path: 'cost_centres',
    collection: 'cost_centres',
    schema: 'CostCentre',
    noun: 'cost centre',
    module: 'nominal',
    byId: true,
    expand: {},
  },
  {
    path: 'product_groups',
    collection: 'product_groups',
    schema: 'ProductGroup',
    noun: 'product group',
    module: 'stock',
    byId: true,
    expand: {},
  },
  {
    path: 'products',
    collection: 'products',
    schema: 'Product',
    noun: 'product',
    module: 'stock',
    byId: true,
    expand: {
      product_group: { collection: 'product_groups', foreignKey: 'product_group_id' },
      tax_code: { collection: 'tax_codes', foreignKey: 'tax_code_id' },
    },
  },
  {
    path: 'sales_posted_transactions',
    collection: 'sales_posted_transactions',
    schema: 'SalesPostedTransaction',
    noun: 'sales posted transaction',
    module: 'sales',
    byId: true,
    expand: { customer: { collection: 'customers', foreignKey: 'customer_id' } },
  },
  {
    path: 'purchase_posted_transactions',
    collection: 'purchase_posted_transactions',
    schema: 'PurchasePostedTransaction',
    noun: 'purchase posted transaction',
    module: 'purchase',
    byId: true,
    expand: { supplier: { collection: 'suppliers', foreignKey: 'supplier_id' } },
  },
  {
    path: 'bank_posted_transactions',
    collection: 'bank_posted_transactions',
    schema: 'BankPostedTransaction',
    noun: 'bank posted transaction',
    module: 'cash_book',
    byId: true,
    expand: { bank: { collection: 'banks', foreignKey: 'bank_id' } },
  },
  {
    path: 'customer_contacts',
    collection: 'customer_contacts',
    schema: 'CustomerContact',
    noun: 'customer contact',
    module: 'sales',
    byId: true,
    expand: {},
  },
  {
    path: 'supplier_contacts',
    collection: 'supplier_contacts',
    schema: 'SupplierContact',
    noun: 'supplier contact',
    module: 'purchase',
    byId: true,
    expand: {},
  },
  {
    path: 'customer_delivery_addresses',
    collection: 'customer_delivery_addresses',
    schema: 'CustomerDeliveryAddress',
    noun: 'customer delivery address',
    module: 'sales',
    byId: true,
    expand: {
      customer: { collection: 'customers', foreignKey: 'customer_id' },
      address_country_code: { collection: 'country_codes', foreignKey: 'address_country_code_id' },
      tax_code: { collection: 'tax_codes', foreignKey: 'tax_code_id' },
      country_code: { collection: 'country_codes', foreignKey: 'country_code_id' },
    },
  },
  {
    path: 'warehouses',
    collection: 'warehouses',
    schema: 'Warehouse',
    noun: 'warehouse',
    module: 'stock',
    byId: true,
    expand: { country_code: { collection: 'country_codes', foreignKey: 'country_code_id' } },
  },
  {
    path: 'sop_orders',
    collection: 'sop_orders',
    schema: 'SopOrder',
    noun: 'sales order',
    module: 'sales',
    byId: true,
    expand: {
      currency: { collection: 'currencies', foreignKey: 'currency_id' },
      customer: { collection: 'customers', foreignKey: 'customer_id' },
      lines: { collection: 'sop_order_lines', foreignKey: 'sop_order_id', many: true },
    },
  },
  {
    path: 'sop_order_lines',
    collection: 'sop_order_lines',
    schema: 'SopOrderLine',
    noun: 'sales order line',
    module: 'sales',
    byId: true,
    list: false,
    expand: orderLineExpand,
  },
  {
    path: 'pop_orders',
    collection: 'pop_orders',
    schema: 'PopOrder',
    noun: 'purchase order',
    module: 'purchase',
    byId: true,
    expand: {
      supplier: { collection: 'suppliers', foreignKey: 'supplier_id' },
      lines: { collection: 'pop_order_lines', foreignKey: 'pop_order_id', many: true },
    },
  },
  {
    path: 'pop_order_lines',
    collection: 'pop_order_lines',
    schema: 'PopOrderLine',
    noun: 'purchase order line',
    module: 'purchase',
    byId: true,
    list: false,
    expand: orderLineExpand,
  },
];

export const NESTED: readonly NestedDefinition[] = [
  { parent: 'customers', param: 'customerId', child: 'sales_posted_transactions', foreignKey: 'customer_id' },
  {
    parent: 'suppliers',
    param: 'supplierId',
    child: 'purchase_posted_transactions',
    foreignKey: 'supplier_id',
  },
  { parent: 'banks', param: 'bankId', child: 'bank_posted_transactions', foreignKey: 'bank_id' },
  { parent: 'customers', param: 'customerId', child: 'customer_contacts', foreignKey: 'customer_id' },
  { parent: 'suppliers', param: 'supplierId', child: 'supplier_contacts', foreignKey: 'supplier_id' },
  {
    parent: 'customers',
    param: 'customerId',
    child: 'customer_delivery_addresses',
    foreignKey: 'customer_id',
  },
  { parent: 'customers', param: 'customerId', child: 'sop_orders', foreignKey: 'customer_id' },
  { parent: 'suppliers', param: 'supplierId', child: 'pop_orders', foreignKey: 'supplier_id' },
  { parent: 'sop_orders', param: 'sopOrderId', child: 'sop_order_lines', foreignKey: 'sop_order_id' },
  { parent: 'pop_orders', param: 'popOrderId', child: 'pop_order_lines', foreignKey: 'pop_order_id' },
];

/** How the 403 for a role without a module names it. */
export const MODULE_NAMES: Readonly<Record<SageModule, string>> = {
  sales: 'Sales Ledger',
  purchase: 'Purchase Ledger',
  nominal: 'Nominal Ledger',
  cash_book: 'Cash Book',
  stock: 'Stock Control',
};

export function resourceByPath(path: string): ResourceDefinition {
  const found = RESOURCES.find((r) => r.path === path);
  if (!found) throw new Error(`no resource definition for ${path}`);
  return found;
}

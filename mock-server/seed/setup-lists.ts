/**
 * The lists a company is set up with: document types and their layouts, contact roles and salutations, analysis
 * code mappings, stock units, internal areas, cost headings, batch separators and search categories, and the
 * nominal ledger's control codes, analysis codes and budget profiles. Control codes and internal areas name the
 * company's own nominal codes and departments (`reference-data.ts`).
 */
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { idOf, type ListBuilder } from './list-records.ts';
import type { ReferenceData } from './reference-data.ts';

export interface SetupLists {
  trader_contact_roles: SageRecord[];
  document_types: SageRecord[];
  document_layouts: SageRecord[];
  salutations: SageRecord[];
  analysis_code_mappings: SageRecord[];
  units: SageRecord[];
  internal_areas: SageRecord[];
  bom_cost_headings: SageRecord[];
  auto_generate_separators: SageRecord[];
  search_categories: SageRecord[];
  search_values: SageRecord[];
  configurable_terms: SageRecord[];
  control_nominal_codes: SageRecord[];
  nominal_transaction_analysis_codes: SageRecord[];
  nominal_budget_profiles: SageRecord[];
}

/** role, default, mandatory, customers, suppliers, documents. */
const CONTACT_ROLES: readonly [string, boolean, boolean, boolean, boolean, boolean][] = [
  ['Accounts', true, true, true, true, true],
  ['Sales', false, false, true, false, false],
  ['Purchasing', false, false, false, true, false],
  ['Orders', false, false, true, true, true],
  ['Invoices', false, false, true, true, true],
  ['Statements', false, false, true, false, true],
  ['Remittances', false, false, false, true, true],
];

/**
 * Document types (financials.json lists their descriptions): description, module, contact role, mandatory. The
 * enum value is the description in Pascal case (assumed).
 */
const DOCUMENT_TYPES: readonly [string, string, string, boolean][] = [
  ['Sales Order', 'Sales Order Processing', 'Orders', true],
  ['Sales Order Acknowledgement', 'Sales Order Processing', 'Orders', false],
  ['Sales Quotations', 'Sales Order Processing', 'Orders', false],
  ['Sales Proforma', 'Sales Order Processing', 'Orders', false],
  ['Sales Despatch Notes', 'Sales Order Processing', 'Orders', true],
  ['Sales Invoice', 'Sales Order Processing', 'Invoices', true],
  ['Sales Credit Notes', 'Sales Order Processing', 'Invoices', true],
  ['Customer Statement', 'Sales Ledger', 'Statements', true],
  ['Customer Debtors Letters', 'Sales Ledger', 'Statements', false],
  ['Purchase Order', 'Purchase Order Processing', 'Orders', true],
  ['Purchase Return', 'Purchase Order Processing', 'Orders', false],
  ['Purchase Invoice', 'Purchase Order Processing', 'Invoices', false],
  ['Purchase CreditNotes', 'Purchase Order Processing', 'Invoices', false],
  ['Purchase Remittance', 'Purchase Ledger', 'Remittances', true],
];

const SALUTATIONS: readonly [string, string][] = [
  ['Mr', 'Mr'],
  ['Mrs', 'Mrs'],
  ['Miss', 'Miss'],
  ['Ms', 'Ms'],
  ['Dr', 'Doctor'],
  ['Prof', 'Professor'],
];

/**
 * Analysis code slots in use: Sage class, friendly class, slot, friendly property. Customers and suppliers carry
 * their region in analysis code 1 (`traders.ts`).
 */
const ANALYSIS_MAPPINGS: readonly [string, string, number, string][] = [
  ['Sage.Accounting.SalesLedger.Customer', 'Customer', 1, 'Region'],
  ['Sage.Accounting.PurchaseLedger.Supplier', 'Supplier', 1, 'Region'],
];

/** name, multiple of the base unit, the Each unit. */
const UNITS: readonly [string, number, boolean][] = [
  ['Each', 1, true],
  ['Pair', 2, false],
  ['Dozen', 12, false],
  ['Box', 1, false],
  ['Pack', 1, false],
  ['Kilogram', 1, false],
  ['Metre', 1, false],
  ['Litre', 1, false],
  ['Hour', 1, false],
];

/** Cost headings: type, name, markup %, overhead recovery %; Sage reserves one per type. */
const COST_HEADINGS: readonly [string, string, number, number][] = [
  ['EnumCostHeadingTypeMaterial', 'Materials', 0, 0],
  ['EnumCostHeadingTypeLabour', 'Labour', 0, 0],
  ['EnumCostHeadingTypeMachine', 'Machine', 0, 0],
  ['EnumCostHeadingTypeSubcontract', 'Subcontract', 0, 0],
  ['EnumCostHeadingTypeOverhead', 'Overheads', 0, 15],
];

/** The separators stock.json names, with their characters. */
const SEPARATORS: readonly [string, string][] = [
  ['None', ''],
  ['Space', ' '],
  ['Colon', ':'],
  ['Forward Slash', '/'],
  ['Backward Slash', '\\'],
  ['Dot', '.'],
  ['Hyphen', '-'],
];

const SEARCH_CATEGORIES: readonly string[] = ['Brand', 'Colour', 'Size', 'Material', 'Format'];

/** The terms a Sage 200 company may rename, as a UK company keeps them: key, singular, plural. */
const CONFIGURABLE_TERMS: readonly [string, string, string][] = [
  ['CostCentre', 'cost centre', 'cost centres'],
  ['Department', 'department', 'departments'],
];

/** The term in the four forms Sage serves: lower and title case, singular and plural. */
function configurableTerm([key, single, plural]: readonly [string, string, string]): SageRecord {
  const title = (text: string): string => text.replace(/\b\w/g, (letter) => letter.toUpperCase());
  const r = blankRecord('configurable_terms', '');
  r.key = key;
  r.lower_case_single = single;
  r.lower_case_plural = plural;
  r.upper_case_single = title(single);
  r.upper_case_plural = title(plural);
  return r;
}

/** The values each search category offers, after Sage's own "None" value every category has. */
const SEARCH_VALUES: Readonly<Record<string, readonly string[]>> = {
  Brand: ['Own Brand', 'Premium'],
  Colour: ['Black', 'White', 'Grey', 'Blue', 'Red'],
  Size: ['Small', 'Medium', 'Large'],
  Material: ['Aluminium', 'Steel', 'Plastic', 'Timber'],
  Format: ['Single', 'Pack', 'Bulk'],
};

/**
 * The control nominal code types of the contract's enumeration and the account of the chart each posts to. The
 * chart has one suspense account, so mispostings and rounding share it.
 */
const CONTROL_CODES: readonly [type: string, name: string, reference: string][] = [
  ['Suspense', 'Suspense', '9999'],
  ['Mispostings', 'Mispostings', '9999'],
  ['RetainedProfit', 'Retained Profit', '3200'],
  ['Accruals', 'Accruals', '2109'],
  ['Prepayments', 'Prepayments', '1103'],
  ['ExchangeGainLoss', 'Exchange Gain/Loss', '7906'],
  ['Rounding', 'Rounding', '9999'],
];

const TRANSACTION_ANALYSIS_CODES: readonly [string, string, boolean][] = [
  ['CAPEX', 'Capital expenditure', true],
  ['RECHARGE', 'Costs recharged to customers', true],
  ['MARKETING', 'Marketing campaigns', true],
  ['R&D', 'Research and development (tax relief claims)', true],
  ['COVID19', 'Coronavirus support grants and loans', false],
];

const BUDGET_PROFILES: readonly string[] = ['Even spread', 'Quarterly', 'Seasonal (Q4 peak)'];

/** `Sales Order Acknowledgement` as an enum-style name: `SalesOrderAcknowledgement`. */
const pascal = (text: string): string => text.replace(/[^A-Za-z]+/g, '');

export function buildSetupLists(lists: ListBuilder, ref: ReferenceData): SetupLists {
  const searchCategories = lists.records('search_categories', SEARCH_CATEGORIES, (r, name) => {
    r.name = name;
  });
  const trader_contact_roles = lists.records('trader_contact_roles', CONTACT_ROLES, (r, row) => {
    const [role, isDefault, mandatory, customers, suppliers, documents] = row;
    r.role = role;
    r.is_default_role = isDefault;
    r.is_mandatory = mandatory;
    r.use_for_customer_accounts = customers;
    r.use_for_supplier_accounts = suppliers;
    r.use_with_documents = documents;
  });
  const document_types = lists.records(
    'document_types',
    DOCUMENT_TYPES,
    (r, [text, module, role, mandatory]) => {
      r.description = text;
      r.value = pascal(text);
      r.is_mandatory = mandatory;
      r.trader_contact_role_id = idOf(trader_contact_roles, 'role', role);
      r.used_in_module = module;
    },
  );
  const document_layouts = lists.records('document_layouts', document_types, (r, type) => {
    r.sys_document_type_id = type.id ?? null;
    r.name = `${String(type.description)} (default)`;
    r.layout = `${String(type.value)}.report`.slice(0, 50);
    r.is_default = true;
  });

  const nominalOf = (reference: string) => ref.nominal(reference);
  return {
    trader_contact_roles,
    document_types,
    document_layouts,
    salutations: lists.records('salutations', SALUTATIONS, (r, [code, description]) => {
      r.code = code;
      r.description = description;
    }),
    analysis_code_mappings: lists.records('analysis_code_mappings', ANALYSIS_MAPPINGS, (r, row) => {
      const [className, friendlyClass, slot, friendlyProperty] = row;
      r.class_name = className;
      r.friendly_class_name = friendlyClass;
      r.property_name = `AnalysisCode${slot}`;
      r.friendly_property_name = friendlyProperty;
      r.slot = slot;
    }),
    units: lists.records('units', UNITS, (r, [name, multiple, each]) => {
      r.name = name;
      r.multiple_of_base_unit = multiple;
      r.each_value = each;
    }),
    // One internal area per department of the company; Administration is the default.
    internal_areas: lists.records(
      'internal_areas',
      [...ref.departmentIds.keys()].filter((code) => code !== ''),
      (r, code) => {
        r.name = departmentName(ref, code);
        r.is_default = code === 'ADM';
      },
    ),
    bom_cost_headings: lists.records(
      'bom_cost_headings',
      COST_HEADINGS,
      (r, [type, name, markup, overhead]) => {
        r.bom_cost_heading_type = type;
        r.name = name;
        r.markup = markup;
        r.overhead_recovery_percent = overhead;
        r.reserved = true;
      },
    ),
    auto_generate_separators: lists.records(
      'auto_generate_separators',
      SEPARATORS,
      (r, [name, character]) => {
        r.name = name;
        r.separator_character = character;
      },
    ),
    search_categories: searchCategories,
    configurable_terms: CONFIGURABLE_TERMS.map(configurableTerm),
    search_values: lists.records(
      'search_values',
      searchCategories.flatMap((category) =>
        ['None', ...(SEARCH_VALUES[String(category.name)] ?? [])].map((name) => [category, name] as const),
      ),
      (r, [category, name]) => {
        r.name = name;
        r.search_category_id = category.id as number;
        r.is_none_value = name === 'None';
      },
    ),
    control_nominal_codes: lists.records(
      'control_nominal_codes',
      CONTROL_CODES,
      (r, [type, name, reference]) => {
        const nominal = nominalOf(reference);
        r.name = name;
        r.account_number = nominal.reference;
        r.nominal_reporting_type =
          nominal.reportType === 'BalanceSheet' ? 'NominalReportingTypeBalance' : 'NominalReportingTypePnL';
        r.control_nominal_code_type = type;
      },
    ),
    nominal_transaction_analysis_codes: lists.records(
      'nominal_transaction_analysis_codes',
      TRANSACTION_ANALYSIS_CODES,
      (r, [code, description, active]) => {
        r.code = code;
        r.description = description;
        r.active = active;
      },
    ),
    nominal_budget_profiles: lists.records('nominal_budget_profiles', BUDGET_PROFILES, (r, name) => {
      r.name = name;
    }),
  };
}

function departmentName(ref: ReferenceData, code: string): string {
  const department = ref.collections.departments.find((d) => d.code === code);
  if (!department) throw new Error(`seed lists: no department ${code}`);
  return String(department.name);
}

/**
 * The Codat-style shapes the sync produces, limited to the fields it fills (from Codat's published OpenAPI
 * models: https://github.com/codatio/codat-docs, static/oas), and the statuses and validation items Codat reports
 * per data type (https://docs.codat.io/core-concepts/status).
 */

/** The data types an integrator reads from Sage 200 (docs/client-and-sync.md), in the order the sync runs them. */
export const DATA_TYPES = [
  'chartOfAccounts',
  'customers',
  'suppliers',
  'invoices',
  'creditNotes',
  'bills',
  'billCreditNotes',
  'taxRates',
  'balanceSheet',
  'profitAndLoss',
] as const;
export type DataType = (typeof DATA_TYPES)[number];

/** The dataset statuses the sync can end in, named as Codat's `PullOperation.status` names them. */
export type DataTypeStatus =
  | 'Complete'
  | 'ValidationError'
  | 'AuthError'
  | 'RateLimitError'
  | 'PermissionsError'
  | 'FetchError'
  | 'NotSupported';

/** Codat's validation item `{ ruleId, itemId, message, validatorName }`. */
export interface ValidationItem {
  ruleId: string;
  itemId: string;
  message: string;
  validatorName: string;
}

export interface ValidationResult {
  errors: ValidationItem[];
  warnings: ValidationItem[];
}

export interface RecordRef {
  id: string;
  name?: string;
}

export interface Metadata {
  isDeleted: boolean;
}

export interface Address {
  type: 'Unknown' | 'Billing' | 'Delivery';
  line1: string;
  line2: string;
  city: string;
  region: string;
  country: string;
  postalCode: string;
}

export interface Account {
  id: string;
  nominalCode: string;
  name: string;
  description: string;
  fullyQualifiedCategory: string;
  fullyQualifiedName: string;
  currency: string;
  currentBalance: number;
  type: 'Unknown' | 'Asset' | 'Expense' | 'Income' | 'Liability' | 'Equity';
  status: 'Unknown' | 'Active' | 'Archived' | 'Pending';
  isBankAccount: boolean;
  sourceModifiedDate: string | undefined;
  metadata: Metadata;
}

export interface Customer {
  id: string;
  customerName: string;
  contactName: string;
  emailAddress: string;
  defaultCurrency: string;
  phone: string;
  addresses: Address[];
  registrationNumber: string;
  taxNumber: string;
  status: 'Unknown' | 'Active' | 'Archived';
  sourceModifiedDate: string | undefined;
  metadata: Metadata;
}

export interface Supplier {
  id: string;
  supplierName: string;
  contactName: string;
  emailAddress: string;
  defaultCurrency: string;
  phone: string;
  addresses: Address[];
  registrationNumber: string;
  taxNumber: string;
  status: 'Unknown' | 'Active' | 'Archived';
  sourceModifiedDate: string | undefined;
  metadata: Metadata;
}

export interface TaxRateRef {
  id: string;
  name: string;
  effectiveTaxRate: number;
}

export interface LineTracking {
  categoryRefs: RecordRef[];
  isBilledTo: 'Unknown' | 'NotApplicable' | 'Project';
  isRebilledTo: 'Unknown' | 'NotApplicable' | 'Project';
}

/**
 * A document line as Codat maps Sage 200's: never the real lines, but one `Goods Summary` line and one
 * `Tax Summary - <rate name>` line per tax code, with quantity and unit amount 0 and discounts null
 * (https://docs.codat.io/integrations/accounting/sage200/sage200-limitations).
 */
export interface LineItem {
  description: string;
  unitAmount: 0;
  quantity: 0;
  discountAmount: null;
  discountPercentage: null;
  subTotal: number;
  taxAmount: number;
  totalAmount: number;
  taxRateRef: TaxRateRef | undefined;
  tracking: LineTracking;
}

interface DocumentBase {
  id: string;
  issueDate: string | null;
  currency: string;
  /** Multiply by this to get the base currency (GBP): the inverse of Sage's `exchange_rate`. */
  currencyRate: number;
  lineItems: LineItem[];
  subTotal: number;
  totalTaxAmount: number;
  totalAmount: number;
  totalDiscount: null;
  discountPercentage: null;
  note: string;
  sourceModifiedDate: string | undefined;
  metadata: Metadata;
}

export interface Invoice extends DocumentBase {
  invoiceNumber: string;
  customerRef: { id: string; companyName: string };
  dueDate: string | null;
  paidOnDate: string | null;
  amountDue: number;
  status: 'Unknown' | 'Draft' | 'Submitted' | 'PartiallyPaid' | 'Paid' | 'Void';
}

export interface CreditNote extends DocumentBase {
  creditNoteNumber: string;
  customerRef: { id: string; companyName: string };
  remainingCredit: number;
  status: 'Unknown' | 'Draft' | 'Submitted' | 'Paid' | 'Void' | 'PartiallyPaid';
}

export interface Bill extends DocumentBase {
  reference: string;
  supplierRef: { id: string; supplierName: string };
  dueDate: string | null;
  amountDue: number;
  status: 'Unknown' | 'Open' | 'PartiallyPaid' | 'Paid' | 'Void' | 'Draft';
}

export interface BillCreditNote extends DocumentBase {
  billCreditNoteNumber: string;
  supplierRef: { id: string; supplierName: string };
  remainingCredit: number;
  status: 'Unknown' | 'Draft' | 'Submitted' | 'Paid' | 'Void' | 'PartiallyPaid';
}

export interface TaxRate {
  id: string;
  name: string;
  code: string;
  effectiveTaxRate: number;
  totalTaxRate: number;
  components: { name: string; rate: number; isCompound: boolean }[];
  status: 'Unknown' | 'Active' | 'Archived';
  sourceModifiedDate: string | undefined;
}

/** Codat's recursive report line: `{ accountId, name, value, items }`. */
export interface ReportLine {
  accountId: string | null;
  name: string | null;
  value: number;
  items: ReportLine[];
}

export interface BalanceSheetReport {
  /** The month-end the snapshot is taken at, e.g. `2026-10-31T00:00:00`. */
  date: string;
  assets: ReportLine;
  liabilities: ReportLine;
  equity: ReportLine;
  netAssets: number;
}

export interface BalanceSheet {
  currency: string;
  earliestAvailableMonth: string | null;
  mostRecentAvailableMonth: string | null;
  /** Most recent first, as Codat lists them. */
  reports: BalanceSheetReport[];
}

export interface ProfitAndLossReport {
  fromDate: string;
  toDate: string;
  income: ReportLine;
  costOfSales: ReportLine;
  grossProfit: number;
  expenses: ReportLine;
  netOperatingProfit: number;
  otherIncome: ReportLine;
  otherExpenses: ReportLine;
  netOtherIncome: number;
  netProfit: number;
}

export interface ProfitAndLoss {
  currency: string;
  reportBasis: 'Accrual';
  earliestAvailableMonth: string | null;
  mostRecentAvailableMonth: string | null;
  reports: ProfitAndLossReport[];
}

/** What each data type's `data` holds. */
export interface DataTypeRecords {
  chartOfAccounts: Account[];
  customers: Customer[];
  suppliers: Supplier[];
  invoices: Invoice[];
  creditNotes: CreditNote[];
  bills: Bill[];
  billCreditNotes: BillCreditNote[];
  taxRates: TaxRate[];
  balanceSheet: BalanceSheet;
  profitAndLoss: ProfitAndLoss;
}

/** The outcome of one data type: Codat's status, the validation result, and the mapped data when it was read. */
export interface DataTypeResult<T extends DataType = DataType> {
  dataType: T;
  status: DataTypeStatus;
  /** Records mapped (reports for balanceSheet and profitAndLoss); 0 when reading failed. */
  records: number;
  durationMs: number;
  validation: ValidationResult;
  /** Why reading failed, for the statuses other than Complete and ValidationError. */
  errorMessage: string | undefined;
  data: DataTypeRecords[T] | undefined;
}

/**
 * `sync(client, company)`: reads the data types an integrator reads from Sage 200 (docs/client-and-sync.md), maps
 * them to Codat's shapes, validates them, and reports each data type with the status Codat would give it
 * (https://docs.codat.io/core-concepts/status). Each data type is read on its own: a failure in one never stops
 * the others.
 */
import type { CompanySelection, Schemas } from '../contract-types.ts';
import { AuthError, ForbiddenError, NotFoundError, RateLimited } from '../errors.ts';
import type { CompanyClient, Sage200Client } from '../sage200-client.ts';
import { mapAccount, mapCustomer, mapSupplier, mapTaxRate, nominalKey } from './accounts.ts';
import {
  DATA_TYPES,
  type DataType,
  type DataTypeRecords,
  type DataTypeResult,
  type DataTypeStatus,
  type ValidationItem,
  type ValidationResult,
} from './codat-types.ts';
import {
  CREDIT_NOTE_TYPE,
  type DocumentReadOptions,
  INVOICE_TYPE,
  mapBill,
  mapBillCreditNote,
  mapCreditNote,
  mapInvoice,
  readPurchaseDocuments,
  readSalesDocuments,
} from './documents.ts';
import { pence } from './money.ts';
import { type Currencies, loadCurrencies, loadTaxCodes } from './reference.ts';
import { buildReports, type Reports } from './reports.ts';
import {
  emptyValidation,
  validateBalanceSheetReport,
  validateControlAccount,
  validateDocumentLines,
} from './validate.ts';

export interface SyncOptions {
  /** Which data types to read; default all, in DATA_TYPES order. */
  dataTypes?: readonly DataType[];
  /** Records per page. Default 500. */
  pageSize?: number;
  /** Incremental sync: only records changed after this instant (reports are always read in full). */
  updatedSince?: Date;
  /** Report months that start after this instant are left out. Default: now, on the client's clock. */
  asOf?: Date;
  /** How many months of reports, most recent first. Default 24, as Codat. */
  reportMonths?: number;
  /** Milliseconds since the epoch, for timings. Default Date.now. */
  now?: () => number;
  /**
   * The debtors and creditors control accounts' nominal references, whose balances the customers' and suppliers'
   * balances must sum to. Default 1100 and 2100, Sage's standard UK chart of accounts.
   */
  controlAccounts?: { debtors: string; creditors: string };
  /** Called as each data type finishes. */
  onDataType?: (result: DataTypeResult) => void;
}

export interface SyncResult {
  company: CompanySelection;
  startedAt: string;
  durationMs: number;
  results: DataTypeResult[];
}

type Outcome<T extends DataType> = {
  data: DataTypeRecords[T];
  records: number;
  validation: ValidationResult;
};

/** Codat's status for a read that failed, from the client's typed error. */
export function statusOfError(error: unknown): DataTypeStatus {
  if (error instanceof AuthError) return 'AuthError';
  if (error instanceof RateLimited) return 'RateLimitError';
  if (error instanceof ForbiddenError) return 'PermissionsError';
  // The gateway's 404 for the path itself: this Sage 200 does not offer the data.
  if (error instanceof NotFoundError && error.unknownPath) return 'NotSupported';
  return 'FetchError';
}

/** A lookup the user's role may not reach, or this Sage 200 may not offer; anything else is a real failure. */
function isUnavailable(error: unknown): boolean {
  return error instanceof ForbiddenError || (error instanceof NotFoundError && error.unknownPath);
}

export async function sync(
  client: Sage200Client,
  company: CompanySelection,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const scoped = client.company(company);
  const reader = new DataTypeReader(scoped, options);
  const results: DataTypeResult[] = [];
  for (const dataType of options.dataTypes ?? DATA_TYPES) {
    const begun = now();
    let result: DataTypeResult;
    try {
      const outcome = await reader.read(dataType);
      result = {
        dataType,
        status: outcome.validation.errors.length > 0 ? 'ValidationError' : 'Complete',
        records: outcome.records,
        durationMs: now() - begun,
        validation: outcome.validation,
        errorMessage: undefined,
        data: outcome.data,
      };
    } catch (error) {
      result = {
        dataType,
        status: statusOfError(error),
        records: 0,
        durationMs: now() - begun,
        validation: emptyValidation(),
        errorMessage: error instanceof Error ? error.message : String(error),
        data: undefined,
      };
    }
    results.push(result);
    options.onDataType?.(result);
  }
  return { company, startedAt: new Date(started).toISOString(), durationMs: now() - started, results };
}

/** Reads and maps one data type at a time; the reports share one read of the period values. */
class DataTypeReader {
  #reports: Promise<{ reports: Reports; warnings: ValidationItem[] }> | undefined;

  constructor(
    private readonly company: CompanyClient,
    private readonly options: SyncOptions,
  ) {}

  get #documentOptions(): DocumentReadOptions {
    return {
      ...(this.options.pageSize === undefined ? {} : { pageSize: this.options.pageSize }),
      ...(this.options.updatedSince === undefined ? {} : { updatedSince: this.options.updatedSince }),
    };
  }

  read(dataType: DataType): Promise<Outcome<DataType>> {
    switch (dataType) {
      case 'chartOfAccounts':
        return this.#chartOfAccounts();
      case 'customers':
        return this.#customers();
      case 'suppliers':
        return this.#suppliers();
      case 'invoices':
        return this.#documents('invoices', async (currencies, taxCodes) =>
          (await readSalesDocuments(this.company, INVOICE_TYPE, this.#documentOptions)).map((t) =>
            mapInvoice(t, currencies, taxCodes),
          ),
        );
      case 'creditNotes':
        return this.#documents('creditNotes', async (currencies, taxCodes) =>
          (await readSalesDocuments(this.company, CREDIT_NOTE_TYPE, this.#documentOptions)).map((t) =>
            mapCreditNote(t, currencies, taxCodes),
          ),
        );
      case 'bills':
        return this.#documents('bills', async (currencies, taxCodes) =>
          (await readPurchaseDocuments(this.company, INVOICE_TYPE, this.#documentOptions)).map((t) =>
            mapBill(t, currencies, taxCodes),
          ),
        );
      case 'billCreditNotes':
        return this.#documents('billCreditNotes', async (currencies, taxCodes) =>
          (await readPurchaseDocuments(this.company, CREDIT_NOTE_TYPE, this.#documentOptions)).map((t) =>
            mapBillCreditNote(t, currencies, taxCodes),
          ),
        );
      case 'taxRates':
        return this.#taxRates();
      case 'balanceSheet':
        return this.#balanceSheet();
      case 'profitAndLoss':
        return this.#profitAndLoss();
      default: {
        const unknown: never = dataType;
        throw new Error(`unknown data type ${String(unknown)}`);
      }
    }
  }

  #list<P extends Parameters<CompanyClient['listAll']>[0]>(path: P, extra: { updatedSince?: boolean } = {}) {
    return this.company.listAll(path, {
      ...(this.options.pageSize === undefined ? {} : { pageSize: this.options.pageSize }),
      ...(extra.updatedSince && this.options.updatedSince !== undefined
        ? { updatedSince: this.options.updatedSince }
        : {}),
    });
  }

  async #categories(): Promise<Map<number, Schemas['NominalReportCategory']>> {
    const rows = await this.#list('/nominal_report_categories');
    return new Map(rows.flatMap((row) => (row.id === undefined ? [] : [[row.id, row] as const])));
  }

  async #chartOfAccounts(): Promise<Outcome<'chartOfAccounts'>> {
    const codes = await this.#list('/nominal_codes', { updatedSince: true });
    const categories = await this.#categories();
    const validation = emptyValidation();
    const currencies = await this.#currencies('chartOfAccounts', validation);
    // A role without the Cash Book still has a chart of accounts; only the bank flags are unknown.
    const banks = await this.#optional(() => this.#list('/banks'), [], validation, {
      ruleId: 'sync.chartOfAccounts.bankAccountsUnknown',
      validatorName: 'AccountValidator',
      itemId: 'banks',
      message: 'The banks cannot be read, so no account is marked as a bank account.',
    });
    const bankNominals = new Set(
      banks.map((b) =>
        nominalKey(
          b.bank_account_nominal_reference,
          b.bank_account_nominal_cost_centre,
          b.bank_account_nominal_department,
        ),
      ),
    );
    const data = codes.map((code) => mapAccount(code, categories, bankNominals, currencies.base));
    return { data, records: data.length, validation };
  }

  async #customers(): Promise<Outcome<'customers'>> {
    const rows = await this.#list('/customers', { updatedSince: true });
    const validation = emptyValidation();
    const currencies = await this.#currencies('customers', validation);
    const data = rows.map((row) => mapCustomer(row, currencies));
    await this.#checkControlAccount('customers', rows, validation);
    return { data, records: data.length, validation };
  }

  async #suppliers(): Promise<Outcome<'suppliers'>> {
    const rows = await this.#list('/suppliers', { updatedSince: true });
    const validation = emptyValidation();
    const currencies = await this.#currencies('suppliers', validation);
    const data = rows.map((row) => mapSupplier(row, currencies));
    await this.#checkControlAccount('suppliers', rows, validation);
    return { data, records: data.length, validation };
  }

  /**
   * The accounts' balances against their control account's balance this year to date. Only on a full read (an
   * incremental one has not every account); a role that cannot read the nominal codes gets a warning instead.
   */
  async #checkControlAccount(
    ledger: 'customers' | 'suppliers',
    rows: readonly { balance?: number }[],
    validation: ValidationResult,
  ): Promise<void> {
    if (this.options.updatedSince !== undefined) return;
    const references = this.options.controlAccounts ?? { debtors: '1100', creditors: '2100' };
    const reference = ledger === 'customers' ? references.debtors : references.creditors;
    const codes = await this.#optional(() => this.#list('/nominal_codes'), undefined, validation, {
      ruleId: `sync.${ledger}.controlAccountUnknown`,
      validatorName: ledger === 'customers' ? 'CustomerValidator' : 'SupplierValidator',
      itemId: reference,
      message:
        'The nominal codes cannot be read, so the balances are not checked against their control account.',
    });
    const control = codes?.filter((code) => code.reference === reference) ?? [];
    if (control.length === 0) return;
    const sign = ledger === 'customers' ? 1 : -1;
    const controlPence = sign * control.reduce((sum, code) => sum + pence(code.balance_year_to_date), 0);
    const accountsPence = rows.reduce((sum, row) => sum + pence(row.balance), 0);
    const error = validateControlAccount(ledger, reference, accountsPence, controlPence);
    if (error) validation.errors.push(error);
  }

  /**
   * A lookup the data type can do without: when the role may not read it or this Sage 200 does not offer it, the
   * data type goes on with `fallback` and a warning. Any other failure fails the data type.
   */
  async #optional<T>(
    load: () => Promise<T>,
    fallback: T,
    validation: ValidationResult,
    warning: ValidationItem,
  ): Promise<T> {
    try {
      return await load();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      validation.warnings.push({ ...warning, message: `${warning.message} (${(error as Error).message})` });
      return fallback;
    }
  }

  #currencies(dataType: DataType, validation: ValidationResult): Promise<Currencies> {
    return this.#optional(() => loadCurrencies(this.company), { byId: new Map(), base: 'GBP' }, validation, {
      ruleId: `sync.${dataType}.currenciesUnknown`,
      validatorName: 'CurrencyValidator',
      itemId: 'currencies',
      message: 'The currencies cannot be read, so every amount is taken to be in GBP.',
    });
  }

  async #documents<T extends 'invoices' | 'creditNotes' | 'bills' | 'billCreditNotes'>(
    dataType: T,
    read: (
      currencies: Currencies,
      taxCodes: Awaited<ReturnType<typeof loadTaxCodes>>,
    ) => Promise<DataTypeRecords[T]>,
  ): Promise<Outcome<T>> {
    const validation = emptyValidation();
    const currencies = await this.#currencies(dataType, validation);
    const taxCodes = await this.#optional(() => loadTaxCodes(this.company), new Map(), validation, {
      ruleId: `sync.${dataType}.taxRatesUnknown`,
      validatorName: 'TaxRateValidator',
      itemId: 'tax_codes',
      message: 'The tax codes cannot be read, so tax lines carry no effective tax rate.',
    });
    const data = await read(currencies, taxCodes);
    for (const document of data) validateDocumentLines(dataType, document, validation);
    return { data, records: data.length, validation };
  }

  async #taxRates(): Promise<Outcome<'taxRates'>> {
    const rows = await this.#list('/tax_codes', { updatedSince: true });
    const data = rows.map(mapTaxRate);
    return { data, records: data.length, validation: emptyValidation() };
  }

  #readReports(): Promise<{ reports: Reports; warnings: ValidationItem[] }> {
    this.#reports ??= (async () => {
      const categories = await this.#categories();
      const validation = emptyValidation();
      const currencies = await this.#currencies('balanceSheet', validation);
      const rows = await this.company.listAll('/nominal_period_value_views', {
        orderBy: 'nominal_period_value_id',
        ...(this.options.pageSize === undefined ? {} : { pageSize: this.options.pageSize }),
      });
      const reports = buildReports(rows, categories, {
        asOf: this.options.asOf ?? new Date(),
        months: this.options.reportMonths ?? 24,
        currency: currencies.base,
      });
      return { reports, warnings: validation.warnings };
    })();
    // A failed read is not kept: profit and loss tries again on its own.
    this.#reports.catch(() => {
      this.#reports = undefined;
    });
    return this.#reports;
  }

  async #balanceSheet(): Promise<Outcome<'balanceSheet'>> {
    const { reports, warnings } = await this.#readReports();
    const { balanceSheet } = reports;
    const validation: ValidationResult = { errors: [], warnings: [...warnings] };
    for (const report of balanceSheet.reports) {
      const error = validateBalanceSheetReport(report);
      if (error) validation.errors.push(error);
    }
    return { data: balanceSheet, records: balanceSheet.reports.length, validation };
  }

  async #profitAndLoss(): Promise<Outcome<'profitAndLoss'>> {
    const { reports, warnings } = await this.#readReports();
    const { profitAndLoss } = reports;
    return {
      data: profitAndLoss,
      records: profitAndLoss.reports.length,
      validation: { errors: [], warnings: [...warnings] },
    };
  }
}

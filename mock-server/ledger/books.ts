/**
 * A company's books as the posting engine reads them: accounts, banks, tax codes, currencies, nominal codes by
 * their reference + cost centre + department triple, accounting periods and period values. Read-only: the engine
 * turns what it reads into a change list, and only `Store.commit` changes the world.
 */

import type { ControlAccounts, PostingNominal } from '../seed/posting.ts';
import { UNAUTHORISED_PURCHASES } from '../seed/purchase-authorisations.ts';
import type { CompanyStore } from '../store/index.ts';
import { dayOf } from '../world/calendar.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';

/** The control accounts every company's chart has (mock-server/seed/README.md, "The ledger"). */
const CONTROL_REFERENCES: Readonly<Record<keyof ControlAccounts, string>> = {
  debtors: '1100',
  creditors: '2100',
  vatOutput: '2200',
  vatInput: '2201',
};

/** Day number (days since 1970-01-01) of a business date or instant string such as `2026-01-01T00:00:00`. */
export function dayOfDate(value: JsonValue | undefined): number {
  return typeof value === 'string' ? dayOf(value.slice(0, 10)) : Number.NaN;
}

const same = (a: JsonValue | undefined, b: string): boolean =>
  typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

export class LedgerBooks {
  constructor(readonly company: CompanyStore) {}

  customer(id: number): SageRecord | undefined {
    return this.company.table('customers').get(id);
  }

  supplier(id: number): SageRecord | undefined {
    return this.company.table('suppliers').get(id);
  }

  bank(id: number): SageRecord | undefined {
    return this.company.table('banks').get(id);
  }

  banks(): readonly SageRecord[] {
    return this.company.table('banks').all();
  }

  taxCode(id: number): SageRecord | undefined {
    return this.company.table('tax_codes').get(id);
  }

  currency(id: JsonValue | undefined): SageRecord | undefined {
    return typeof id === 'number' ? this.company.table('currencies').get(id) : undefined;
  }

  baseCurrency(): SageRecord {
    const base = this.company
      .table('currencies')
      .all()
      .find((c) => c.is_base_currency === true);
    if (!base) throw new Error(`company ${this.company.companyId} has no base currency`);
    return base;
  }

  /**
   * Nominal codes with this reference, narrowed by cost centre and department where given (matched without regard
   * to case, as Sage's database collation does).
   */
  nominalCodes(reference: string, costCentre?: string, department?: string): SageRecord[] {
    const candidates = this.company.table('nominal_codes').lookup('reference', reference) ?? [];
    return candidates.filter(
      (code) =>
        same(code.reference, reference) &&
        (costCentre === undefined || same(code.cost_centre_code, costCentre)) &&
        (department === undefined || same(code.department_code, department)),
    );
  }

  nominalCode(id: number): SageRecord | undefined {
    return this.company.table('nominal_codes').get(id);
  }

  /** The control accounts, each on the blank cost centre and department. */
  controlAccounts(): ControlAccounts {
    const account = (reference: string): PostingNominal => {
      const [code] = this.nominalCodes(reference, '', '');
      if (!code) throw new Error(`company ${this.company.companyId} has no control account ${reference}`);
      return postingNominal(code);
    };
    return {
      debtors: account(CONTROL_REFERENCES.debtors),
      creditors: account(CONTROL_REFERENCES.creditors),
      vatOutput: account(CONTROL_REFERENCES.vatOutput),
      vatInput: account(CONTROL_REFERENCES.vatInput),
    };
  }

  /** The nominal code of the Unauthorised Purchases default account (`control_nominal_codes`), if it has one. */
  unauthorisedPurchases(): SageRecord | undefined {
    const control = this.company
      .table('control_nominal_codes')
      .all()
      .find((c) => c.control_nominal_code_type === UNAUTHORISED_PURCHASES);
    return control ? this.nominalCodes(String(control.account_number ?? ''), '', '')[0] : undefined;
  }

  /**
   * Pence of goods value above which a purchase invoice or credit note waits for authorisation
   * (`purchase_ledger_settings`), or undefined when the company does not use authorisation.
   */
  authorisationThreshold(): number | undefined {
    const settings = this.company.table('purchase_ledger_settings').all()[0];
    if (settings?.use_invoice_authorisation !== true) return undefined;
    return Math.round(Number(settings.authorisation_threshold_value ?? 0) * 100);
  }

  /** The nominal code a bank account posts to (`bank_account_nominal_*`), if it exists. */
  bankNominal(bank: SageRecord): SageRecord | undefined {
    const [code] = this.nominalCodes(
      String(bank.bank_account_nominal_reference ?? ''),
      String(bank.bank_account_nominal_cost_centre ?? ''),
      String(bank.bank_account_nominal_department ?? ''),
    );
    return code;
  }

  /**
   * A currency's rate against the base currency on a day: for a currency on period rates (`ExchangeRatePeriod`),
   * the rate of the day's accounting period (`currency_period_rates`); otherwise, or where no period rate covers
   * the day, its single rate (`core_currency_rate`). `periodRate` says which it was.
   */
  currencyRate(currency: SageRecord, day: number): { rate: number; periodRate: boolean } {
    const single = { rate: Number(currency.core_currency_rate) || 1, periodRate: false };
    if (currency.is_base_currency === true || currency.exchange_rate_type === 'ExchangeRateSingle')
      return single;
    const period = this.periodOfDay(day);
    if (!period) return single;
    const rates =
      this.company.table('currency_period_rates').lookup('currency_id', Number(currency.id)) ?? [];
    const found = rates.find((r) => r.accounting_period_id === period.accounting_period_id);
    return found ? { rate: Number(found.core_currency_rate), periodRate: true } : single;
  }

  /** The `financial_year_period_views` row whose accounting period holds this day, if any. */
  periodOfDay(day: number): SageRecord | undefined {
    return this.company
      .table('financial_year_period_views')
      .all()
      .find((p) => dayOfDate(p.period_start_date) <= day && day <= dayOfDate(p.period_end_date));
  }

  /** The `nominal_period_value_views` row of one nominal code in one accounting period, if it exists. */
  periodValue(nominalCodeId: number, accountingPeriodId: number): SageRecord | undefined {
    const rows =
      this.company.table('nominal_period_value_views').lookup('nominal_code_id', nominalCodeId) ?? [];
    return rows.find((row) => row.accounting_period_id === accountingPeriodId);
  }

  /** The id the next nominal entry gets: one past the last, so entry ids never repeat. */
  nextNominalEntryId(): number {
    const entries = this.company.company.nominal_entries;
    return (entries[entries.length - 1]?.id ?? 0) + 1;
  }
}

/** A `nominal_codes` record as the posting builders name an account. */
export function postingNominal(code: SageRecord): PostingNominal {
  return {
    id: Number(code.id),
    reference: String(code.reference ?? ''),
    costCentre: String(code.cost_centre_code ?? ''),
    department: String(code.department_code ?? ''),
    name: String(code.name ?? ''),
  };
}

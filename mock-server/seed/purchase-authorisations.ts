/**
 * Purchase invoice authorisation (purchases.json `/purchase_authorisations/{Id}`): the purchase ledger settings turn
 * it on with a threshold above every invoice the trading entered, and a few invoices and credit notes above it wait
 * for authorisation in the last trading month. Their goods value sits on the Unauthorised Purchases default nominal
 * account (`control_nominal_codes`); VAT and the creditors control account post as for any purchase document. They
 * are posted with the builders the posting engine uses (`traderRecord`, `doubleEntry`), and every value they move
 * (nominal period values, nominal code balances, the supplier's balance) moves as the engine's `derivedChanges`
 * moves it. Added after everything else, from a random stream of their own, so no earlier record changes.
 */
import { asOfDay, businessDate, dayOf, dayStartMs, instant, workingDayOnOrAfter } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { CompanyWorld, NominalEntry, SageRecord } from '../world/model.ts';
import { nominalBalanceFields } from './derive.ts';
import {
  type ControlAccounts,
  doubleEntry,
  ledgerSource,
  type PostingDoc,
  type PostingNominal,
  signOf,
  TRADER_TRANSACTION_TYPES,
  traderRecord,
} from './posting.ts';
import type { Rng } from './random.ts';

/**
 * Invoices and credit notes whose goods value is above the threshold (pounds) need authorisation: 7,500.00, or more
 * where the trading entered a larger one (the large company), in steps of 2,500.00 (assumed values).
 */
const THRESHOLD_FLOOR = 7_500;
const THRESHOLD_STEP = 2_500;

/** The `control_nominal_code_type` of the Unauthorised Purchases default nominal account. */
export const UNAUTHORISED_PURCHASES = 'UnauthorisedPurchase';

/** The chart's account that takes unauthorised purchases: its suspense account, as mispostings and rounding do. */
const UNAUTHORISED_REFERENCE = '9999';

/** What each waiting document buys (its line's narrative) and its goods value range, pounds above the threshold. */
const PURCHASES: readonly [kind: 'PI' | 'PC', narrative: string, min: number, max: number][] = [
  ['PI', 'CNC router and tooling', 4_500, 16_500],
  ['PI', 'Warehouse racking, Leeds depot', 500, 7_500],
  ['PI', 'Annual software licences', 100, 3_500],
  ['PI', 'Office refit, first floor', 1_500, 10_500],
  ['PC', 'Credit: returned pallet truck', 100, 2_000],
  ['PC', 'Credit: rebate on annual volume', 300, 4_500],
];

const money = (pence: number): number => pence / 100 + 0;
const pence = (value: unknown): number => Math.round(Number(value ?? 0) * 100);

function table(company: CompanyWorld, name: string): SageRecord[] {
  const records = company.collections[name];
  if (!records) throw new Error(`company ${company.company_id} has no ${name}`);
  return records;
}

function nominalOf(
  company: CompanyWorld,
  reference: string,
): { record: SageRecord; posting: PostingNominal } {
  const record = table(company, 'nominal_codes').find(
    (c) => c.reference === reference && c.cost_centre_code === '' && c.department_code === '',
  );
  if (!record) throw new Error(`company ${company.company_id} has no nominal code ${reference}`);
  return {
    record,
    posting: {
      id: Number(record.id),
      reference,
      costCentre: '',
      department: '',
      name: String(record.name ?? ''),
    },
  };
}

/** Turns authorisation on and posts the waiting documents; returns nothing, as it adds to the company in place. */
export function addPurchaseAuthorisations(company: CompanyWorld, rng: Rng): void {
  const nextId = () => company.next_id++;
  const stamp = String(company.company_details.date_time_created);
  const purchases = table(company, 'purchase_posted_transactions');
  const largest = Math.max(
    0,
    ...purchases
      .filter((p) => p.trader_transaction_type !== TRADER_TRANSACTION_TYPES.payment)
      .map((p) => Math.abs(Number(p.document_goods_value ?? 0))),
  );
  const threshold = Math.max(THRESHOLD_FLOOR, Math.ceil(largest / THRESHOLD_STEP) * THRESHOLD_STEP);
  for (const settings of table(company, 'purchase_ledger_settings')) {
    settings.use_invoice_authorisation = true;
    settings.authorisation_threshold_value = threshold;
  }

  const unauthorised = nominalOf(company, UNAUTHORISED_REFERENCE);
  const control = blankRecord('control_nominal_codes', stamp);
  control.id = nextId();
  control.name = 'Unauthorised Purchases';
  control.account_number = UNAUTHORISED_REFERENCE;
  control.nominal_reporting_type = 'NominalReportingTypePnL';
  control.control_nominal_code_type = UNAUTHORISED_PURCHASES;
  table(company, 'control_nominal_codes').push(control);

  const accounts: ControlAccounts = {
    debtors: nominalOf(company, '1100').posting,
    creditors: nominalOf(company, '2100').posting,
    vatOutput: nominalOf(company, '2200').posting,
    vatInput: nominalOf(company, '2201').posting,
  };
  const baseCurrency = table(company, 'currencies').find((c) => c.is_base_currency === true)!;
  const standard = table(company, 'tax_codes').find((t) => t.code === 1)!;
  const suppliers = table(company, 'suppliers').filter(
    (s) => s.currency_id === baseCurrency.id && s.on_hold !== true,
  );
  const periods = table(company, 'financial_year_period_views');
  const periodValues = table(company, 'nominal_period_value_views');
  const authorisations: SageRecord[] = [];
  const entries: NominalEntry[] = [];
  let entryId = (company.nominal_entries.at(-1)?.id ?? 0) + 1;

  for (const [kind, narrative, min, max] of PURCHASES) {
    const supplier = rng.pick(suppliers);
    const day = workingDayOnOrAfter(asOfDay() - 28 + rng.int(0, 22));
    const ms = dayStartMs(day) + rng.int(9 * 3600, 17 * 3600) * 1000;
    const goods = rng.int((threshold + min) * 100, (threshold + max) * 100);
    const tax = Math.round(goods * 0.2);
    const reference = String(supplier.reference).slice(0, 3);
    const latest = purchases.filter((p) => p.supplier_id === supplier.id).at(-1);
    const doc: PostingDoc = {
      kind,
      day,
      ms,
      updatedMs: ms,
      trader: { id: Number(supplier.id), reference: String(supplier.reference), name: String(supplier.name) },
      bank: null,
      reference:
        kind === 'PI' ? `${reference}-${rng.int(10_000, 99_999)}` : `${reference}-CR${rng.int(1_000, 9_999)}`,
      secondReference: kind === 'PI' ? `PO${rng.int(10_000, 99_999)}` : '',
      description: '',
      lines: [{ nominal: unauthorised.posting, net: goods, baseNet: goods, narrative }],
      taxLines: [{ taxCode: { id: Number(standard.id), code: 1, name: String(standard.name) }, goods, tax }],
      journal: [],
      rate: 1,
      goods,
      tax,
      gross: goods + tax,
      baseGoods: goods,
      baseTax: tax,
      baseGross: goods + tax,
      dueDay: kind === 'PI' ? day + Number(supplier.payment_terms_days ?? 30) : day,
      allocations: [],
      allocated: 0,
      settledDay: -1,
      userName: String(latest?.user_name ?? ''),
      urn: company.next_urn++,
    };
    const record = traderRecord(doc, {
      controls: accounts,
      periodOfDay: () => {
        throw new Error('a purchase document is on no bank statement');
      },
      nextId,
      baseCurrencyId: Number(baseCurrency.id),
      lastStatementDay: -1,
    });
    purchases.push(record);

    const authorisation = blankRecord('purchase_transaction_authorisations', instant(ms));
    authorisation.id = nextId();
    authorisation.purchase_posted_transaction_id = record.id ?? null;
    authorisation.authorisation_type = 'NotAuthorised';
    authorisations.push(authorisation);

    const period = periods.find(
      (p) =>
        dayOf(String(p.period_start_date).slice(0, 10)) <= day &&
        day <= dayOf(String(p.period_end_date).slice(0, 10)),
    )!;
    for (const line of doubleEntry(doc, accounts)) {
      entries.push({
        id: entryId++,
        nominal_code_id: line.nominal.id,
        accounting_period_id: Number(period.accounting_period_id),
        transaction_date: businessDate(day),
        value: money(line.value),
        source: ledgerSource(kind),
        urn: doc.urn,
        narrative: line.narrative,
      });
    }
    supplier.balance = money(pence(supplier.balance) + signOf(kind) * doc.gross);
    const updated = instant(ms);
    if (String(supplier.date_time_updated) < updated) {
      supplier.date_time_updated = updated;
      (supplier.status as SageRecord).date_time_updated = updated;
    }
  }

  // What the entries move, as the engine's derivedChanges moves it: the period value of each code and period, and
  // each code's current-year balance (every document is dated in the current year).
  for (const entry of entries) {
    const row = periodValues.find(
      (r) =>
        r.nominal_code_id === entry.nominal_code_id && r.accounting_period_id === entry.accounting_period_id,
    );
    if (!row) throw new Error(`no period value row for nominal code ${entry.nominal_code_id}`);
    row.nominal_period_value_actual_value = money(
      pence(row.nominal_period_value_actual_value) + pence(entry.value),
    );
    const code = table(company, 'nominal_codes').find((c) => c.id === entry.nominal_code_id)!;
    Object.assign(
      code,
      nominalBalanceFields(
        pence(code.brought_forward_balance),
        pence(code.balance_year_to_date) + pence(entry.value),
      ),
    );
  }
  company.nominal_entries.push(...entries);
  company.collections.purchase_transaction_authorisations = authorisations;
}

/**
 * Accounts in the states a sync meets in a real company (mock-server/seed/README.md, "The trading group"): hidden
 * customers, a hidden supplier and a hidden nominal code (`account_status_type` `AccountStatusHidden`, the only
 * other member of Sage's account status types), a supplier on hold, and a customer over its credit limit. Chosen
 * from the company's finished records with no randomness, so that each state agrees with the ledger: a hidden account
 * owes and is owed nothing and has no document, order or quotation open; a hidden nominal code has no movement in
 * the current year and is nobody's default; the supplier on hold is one the company owes. The writes Sage refuses for
 * them are refused in mock-server/ledger/requests.ts and mock-server/resources/orders.ts.
 */
import { dayOf, dayStartMs, instant, WORLD_DATES } from '../world/calendar.ts';
import type { CompanyWorld, SageRecord } from '../world/model.ts';

export const HIDDEN = 'AccountStatusHidden';

/** Hidden customers per company. */
const HIDDEN_CUSTOMERS = 2;
/** Credit limits are set in steps of this many pounds. */
const CREDIT_STEP = 500;

const records = (company: CompanyWorld, name: string): SageRecord[] => company.collections[name] ?? [];

/** Every value of `field` the company's records of these collections hold. */
function cited(company: CompanyWorld, collections: readonly string[], field: string): Set<unknown> {
  const values = new Set<unknown>();
  for (const name of collections) for (const r of records(company, name)) values.add(r[field]);
  return values;
}

/** Sets the company's account states in place; returns nothing. */
export function addAccountStates(company: CompanyWorld): void {
  // Changed by credit control at the end of the last trading day, so an incremental sync picks them up.
  const stamp = instant(dayStartMs(dayOf(WORLD_DATES.tradingEnd)) + 17.5 * 3_600_000);
  const touch = (record: SageRecord): void => {
    if (String(record.date_time_updated ?? '') >= stamp) return;
    record.date_time_updated = stamp;
    const status = record.status;
    if (typeof status === 'object' && status !== null && !Array.isArray(status))
      status.date_time_updated = stamp;
  };

  const customersInUse = cited(
    company,
    ['sop_orders', 'sop_quotes', 'sop_proformas', 'sop_returns', 'customer_delivery_addresses'],
    'customer_id',
  );
  const suppliersInUse = cited(company, ['pop_orders', 'pop_requisitions'], 'supplier_id');
  for (const r of records(company, 'pop_requisition_lines')) suppliersInUse.add(r.supplier_id);

  const idle = (account: SageRecord, inUse: Set<unknown>): boolean =>
    Number(account.balance) === 0 && account.on_hold !== true && !inUse.has(account.id);
  const customers = records(company, 'customers');
  const hiddenCustomers = customers.filter((c) => idle(c, customersInUse)).slice(-HIDDEN_CUSTOMERS);
  const suppliers = records(company, 'suppliers');
  const hiddenSupplier = suppliers.filter((s) => idle(s, suppliersInUse)).at(-1);
  for (const account of [...hiddenCustomers, ...(hiddenSupplier ? [hiddenSupplier] : [])]) {
    account.account_status_type = HIDDEN;
    touch(account);
  }

  // On hold: the supplier the company owes most that is not hidden.
  const owed = suppliers
    .filter((s) => s !== hiddenSupplier && Number(s.balance) > 0)
    .sort((a, b) => Number(b.balance) - Number(a.balance))[0];
  if (owed) {
    owed.on_hold = true;
    touch(owed);
  }

  // Over its credit limit: the customer not on hold that owes most, unless one already is.
  const active = customers.filter((c) => c.on_hold !== true && !hiddenCustomers.includes(c));
  if (!active.some((c) => Number(c.balance) > Number(c.credit_limit))) {
    const largest = active.sort((a, b) => Number(b.balance) - Number(a.balance))[0];
    const balance = Number(largest?.balance ?? 0);
    if (largest && balance > CREDIT_STEP) {
      largest.credit_limit = Math.floor((balance - 1) / CREDIT_STEP) * CREDIT_STEP;
      touch(largest);
    }
  }

  // A nominal code retired this year: profit and loss, no movement in the current year, nobody's default.
  const profitAndLoss = new Set(
    records(company, 'nominal_report_categories')
      .filter((c) => c.account_report_type === 'ProfitLoss')
      .map((c) => c.id),
  );
  const defaults = new Set<unknown>([
    ...cited(company, ['customers', 'suppliers'], 'default_nominal_code_id'),
    ...cited(company, ['products', 'product_groups'], 'revenue_nominal_code_id'),
    ...cited(company, ['products', 'product_groups'], 'stock_nominal_code_id'),
  ]);
  const reserved = new Set<unknown>([
    ...cited(company, ['control_nominal_codes'], 'account_number'),
    ...cited(company, ['banks'], 'bank_account_nominal_reference'),
    ...cited(company, ['banks'], 'bank_charges_nominal_reference'),
    ...cited(company, ['banks'], 'exchange_diff_nominal_reference'),
  ]);
  const retired = records(company, 'nominal_codes').find(
    (code) =>
      profitAndLoss.has(code.report_category_id ?? null) &&
      Number(code.balance_year_to_date) === 0 &&
      !defaults.has(code.id) &&
      !reserved.has(code.reference),
  );
  if (retired) {
    retired.account_status_type = HIDDEN;
    touch(retired);
  }
}

/**
 * Reading the books through the API as an integrator does: the trial balance built from
 * /nominal_period_value_views balances for full and trial companies in every period, and is off by the documented
 * amount for the sandbox company; trader balances agree with their control accounts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { SANDBOX_IMBALANCE } from '../../mock-server/seed/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

const pence = (value: unknown): number => Math.round(Number(value) * 100);

/** Pages through a collection with $orderby/$top/$skip until a short page, as docs/client-and-sync.md describes. */
async function readAll(caller: Caller, path: string, pageSize = 1000): Promise<SageRecord[]> {
  const rows: SageRecord[] = [];
  for (let skip = 0; ; skip += pageSize) {
    const separator = path.includes('?') ? '&' : '?';
    const page = await caller.json<SageRecord[]>(
      `${path}${separator}$orderby=id&$top=${pageSize}&$skip=${skip}`,
    );
    rows.push(...page);
    if (page.length < pageSize) return rows;
  }
}

async function periodValues(caller: Caller): Promise<SageRecord[]> {
  const rows: SageRecord[] = [];
  const pageSize = 2000;
  for (let skip = 0; ; skip += pageSize) {
    const page = await caller.json<SageRecord[]>(
      `/nominal_period_value_views?$orderby=nominal_period_value_id&$top=${pageSize}&$skip=${skip}`,
    );
    rows.push(...page);
    if (page.length < pageSize) return rows;
  }
}

function totalsByPeriod(values: SageRecord[]): Map<unknown, number> {
  const totals = new Map<unknown, number>();
  for (const row of values) {
    const key = row.accounting_period_id;
    totals.set(key, (totals.get(key) ?? 0) + pence(row.nominal_period_value_actual_value));
  }
  return totals;
}

async function controlBalance(caller: Caller, values: SageRecord[], reference: string): Promise<number> {
  const [code] = await caller.json<SageRecord[]>(`/nominal_codes?$filter=reference eq '${reference}'`);
  expect(code, `nominal code ${reference}`).toBeDefined();
  return values
    .filter((v) => v.nominal_code_id === code!.id)
    .reduce((sum, v) => sum + pence(v.nominal_period_value_actual_value), 0);
}

describe('the ledger read through the API', () => {
  let app: SandboxApp;
  beforeAll(() => {
    app = testSandbox();
  });

  it.each([
    ['full', USERS.full, 0],
    ['full (second company)', USERS.full, 1],
    ['trial', USERS.trial, 0],
  ])('balances in every period for the %s company', async (_name, email, index) => {
    const caller = await callerFor(app, email, index);
    const values = await periodValues(caller);
    expect(values.length).toBeGreaterThan(0);
    const totals = totalsByPeriod(values);
    expect(totals.size).toBeGreaterThan(12);
    for (const [period, total] of totals) expect(total, `period ${String(period)}`).toBe(0);
  });

  it('is off by the documented amount for the sandbox company', async () => {
    const caller = await callerFor(app, USERS.sandbox);
    const totals = totalsByPeriod(await periodValues(caller));
    const overall = [...totals.values()].reduce((a, b) => a + b, 0);
    expect(overall).toBe(pence(SANDBOX_IMBALANCE));
    expect(SANDBOX_IMBALANCE).not.toBe(0);
  });

  // A customer's balance is what they owe (a debit on 1100); a supplier's is what is owed to them (a credit on 2100).
  it.each([
    ['customers', '1100', USERS.full, 1],
    ['suppliers', '2100', USERS.full, -1],
    ['customers', '1100', USERS.sandbox, 1],
    ['suppliers', '2100', USERS.trial, -1],
  ])('sums %s balances to control account %s', async (collection, reference, email, sign) => {
    const caller = await callerFor(app, email);
    const values = await periodValues(caller);
    const traders = await readAll(caller, `/${collection}`);
    const balances = traders.reduce((sum, t) => sum + pence(t.balance), 0);
    const control = await controlBalance(caller, values, reference);
    expect(balances).toBe(sign * control);
    expect(balances).not.toBe(0);
  });
});

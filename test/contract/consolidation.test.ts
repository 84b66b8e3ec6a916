/**
 * Group consolidation: the full site's first company consolidates into its holding company, so it keeps the
 * parent's chart as `/consolidated_nominal_codes` and its nominal codes name the parent codes they roll up into;
 * a company that consolidates nothing has an empty list and consolidation off.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;

describe('consolidated nominal codes', () => {
  let app: SandboxApp;
  beforeAll(() => {
    app = sharedWorldSandbox();
  });

  it("hold the parent's chart in the subsidiary, and every nominal code names the one it consolidates into", async () => {
    const subsidiary = await callerFor(app, USERS.full, 0);
    const parent = await callerFor(app, USERS.full, 1);
    const consolidated = await subsidiary.json<Row[]>('/consolidated_nominal_codes?$top=5000');
    const parentChart = await parent.json<Row[]>('/nominal_codes?$top=5000');
    expect(consolidated.map((c) => c.reference).sort()).toEqual(parentChart.map((c) => c.reference).sort());
    const byId = new Map(consolidated.map((c) => [c.id, c]));
    for (const code of await subsidiary.json<Row[]>('/nominal_codes?$top=5000')) {
      const target = byId.get(code.consolidated_nominal_code_id);
      expect(target?.reference, String(code.reference)).toBe(code.reference);
      expect(code.consolidated_nominal_account_number).toBe(code.reference);
    }
    const [settings] = await subsidiary.json<Row[]>('/nominal_ledger_settings');
    expect(settings?.is_consolidation_enabled).toBe(true);
  });

  it('are empty, with consolidation off, in a company that consolidates nothing', async () => {
    const parent = await callerFor(app, USERS.full, 1);
    expect(await parent.json<Row[]>('/consolidated_nominal_codes')).toEqual([]);
    const [settings] = await parent.json<Row[]>('/nominal_ledger_settings');
    expect(settings?.is_consolidation_enabled).toBe(false);
    expect((await parent.get('/consolidated_nominal_codes/1')).status).toBe(404);
  });
});

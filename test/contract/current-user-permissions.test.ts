/**
 * `/sop_user_permissions` holds one record per user of the company; `/current_user_sop_user_permissions` is the
 * same list narrowed to the user the token belongs to (the contract's `current-user` view).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;

describe('SOP user permissions', () => {
  let app: SandboxApp;
  beforeAll(() => {
    app = sharedWorldSandbox();
  });

  it('lists one record per user, and the current user sees only their own, with full rights as the owner', async () => {
    const full = await callerFor(app, USERS.full);
    const me = await full.json<Row>('/current_user');
    const users = await full.json<Row[]>('/users');
    const all = await full.json<Row[]>('/sop_user_permissions');
    expect(all.map((p) => p.user_number).sort()).toEqual(users.map((u) => u.id).sort());
    const mine = await full.json<Row[]>('/current_user_sop_user_permissions');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ user_number: me.id, override_credit_holds: true });
    expect(all.filter((p) => p.user_number !== me.id).every((p) => p.override_credit_holds === false)).toBe(
      true,
    );
  });

  it('answers OData on the narrowed list, and 403 to a role without the Sales Ledger', async () => {
    const full = await callerFor(app, USERS.full);
    expect(await full.json<Row[]>('/current_user_sop_user_permissions?$select=user_name')).toEqual([
      { user_name: expect.any(String) },
    ]);
    const limited = await callerFor(app, USERS.limited);
    expect((await limited.get('/current_user_sop_user_permissions')).status).toBe(403);
  });
});

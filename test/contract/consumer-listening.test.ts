/**
 * The integration client against a sandbox listening on a real socket (port 0), over the platform's own fetch:
 * the same base-URL switch a user makes to point their client at the sandbox instead of Sage. The test's own
 * control calls go through supertest.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  Sage200Client,
  sandboxClientOptions,
  signInWithLoginHint,
  sync,
  TrialWriteRejected,
} from '../../client/index.ts';
import { fakeTiming } from '../../client/testing.ts';
import { type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { smallTestWorld, USERS } from '../support/sandbox.ts';

describe('the client against a listening sandbox, over real fetch', () => {
  let running: RunningSandbox;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: smallTestWorld() });
  });

  afterAll(async () => {
    await running?.stop();
  });

  async function signedIn(email: string): Promise<Sage200Client> {
    const client = new Sage200Client(sandboxClientOptions(running.url, { timing: fakeTiming() }));
    await signInWithLoginHint(client, email);
    return client;
  }

  it('points both base URLs at the sandbox and nothing else', () => {
    const options = sandboxClientOptions(running.url);
    expect(options.sageIdBaseUrl).toBe(`${running.url}/id/`);
    expect(options.apiBaseUrl).toBe(running.apiUrl);
    const real = new Sage200Client({ clientId: 'id', redirectUri: 'https://example.test/callback' });
    expect([real.sageIdBaseUrl, real.apiBaseUrl]).toEqual([
      'https://id.sage.com/',
      'https://api.columbus.sage.com/uk/sage200/accounts/v1/',
    ]);
    expect(real.authorizationUrl({ state: 's' })).toMatch(
      /^https:\/\/id\.sage\.com\/authorize\?response_type=code&/,
    );
  });

  it('signs in, pages through customers and reads one back', async () => {
    const client = await signedIn(USERS.full);
    const company = client.company(await client.findCompany());
    const customers = await company.listAll('/customers', { pageSize: 6 });
    expect(customers.length).toBe(20);
    const one = await company.get('/customers/{Id}', customers[3]!.id!);
    expect(one.reference).toBe(customers[3]!.reference);
  });

  it('syncs the sandbox company: balanceSheet ValidationError, every other data type Complete', async () => {
    const client = await signedIn(USERS.sandbox);
    const result = await sync(client, await client.findCompany(), { asOf: new Date('2026-12-31T00:00:00Z') });
    const failing = result.results
      .filter((r) => r.status !== 'Complete')
      .map((r) => `${r.dataType} ${r.status}`);
    expect(failing).toEqual(['balanceSheet ValidationError']);
  });

  it('gets the typed refusals over the wire: a role without the module, and a trial site’s write', async () => {
    const limited = await signedIn(USERS.limited);
    await expect(limited.company(await limited.findCompany()).listAll('/customers')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const trial = await signedIn(USERS.trial);
    const company = trial.company(await trial.findCompany());
    await expect(
      company.create('/customers', { reference: 'WIRE01', name: 'Wire Ltd' }),
    ).rejects.toBeInstanceOf(TrialWriteRejected);
  });

  it('refreshes after the sandbox clock passes the access token’s expiry', async () => {
    const client = await signedIn(USERS.full);
    await request(running.server).post('/admin/clock/advance').send({ seconds: 3601 }).expect(200);
    expect(await client.sites()).toHaveLength(2);
    expect(client.stats.refreshesAfter401).toBe(1);
  });
});

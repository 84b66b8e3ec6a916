import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionReset } from '../../mock-server/faults/index.ts';
import { type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { callerFor, smallTestWorld, testSandbox, USERS } from '../support/sandbox.ts';
import { addFault, journal } from './support.ts';

/** The error a fetch gets when the connection dies mid-response: a TypeError whose cause is a socket error. */
async function networkError(call: Promise<Response>): Promise<{ code: string | undefined }> {
  const error = await call.then(
    (response) => {
      throw new Error(`expected a network error, got HTTP ${response.status}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toBe('fetch failed');
  return { code: ((error as Error).cause as { code?: string } | undefined)?.code };
}

describe('connection reset on a listening sandbox', () => {
  let running: RunningSandbox;
  let headers: Record<string, string>;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: smallTestWorld() });
    headers = (await callerFor(running.app, USERS.full)).headers;
  });

  afterAll(async () => {
    await running.stop();
  });

  beforeEach(async () => {
    await fetch(`${running.admin}/faults`, { method: 'DELETE' });
  });

  it('resets the socket mid-response for a reset_connection rule: fetch fails with a socket error', async () => {
    await addFault(running.app, { path: '/sites', reset_connection: true, times: 1 });
    const { code } = await networkError(fetch(`${running.apiUrl}sites`, { headers }));
    // A TCP RST reads as ECONNRESET; on a loaded machine the client may read the close first.
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(code);
    const after = await fetch(`${running.apiUrl}sites`, { headers });
    expect(after.status).toBe(200);
  });

  it('resets the socket for X-Sandbox-Fault: reset, and for a status fault cut short', async () => {
    await networkError(
      fetch(`${running.apiUrl}sites`, { headers: { ...headers, 'X-Sandbox-Fault': 'reset' } }),
    );
    await networkError(
      fetch(`${running.apiUrl}sites`, { headers: { ...headers, 'X-Sandbox-Fault': 'status=503;reset' } }),
    );
    expect((await fetch(`${running.apiUrl}sites`, { headers })).status).toBe(200);
  });

  it('records the reset in the journal with the status that was cut off', async () => {
    await addFault(running.app, { path: '/licence', reset_connection: true, times: 1 });
    await networkError(fetch(`${running.apiUrl}licence`, { headers }));
    const [entry] = await journal(running.app, '?path=/licence&limit=1');
    expect(entry).toMatchObject({
      status: 200,
      fault: { rules: [expect.stringMatching(/^fault-\d+$/)], status: 200, connection_reset: true },
    });
  });

  it('keeps serving other connections while one is reset', async () => {
    await addFault(running.app, { path: '/sites', reset_connection: true, every: 2 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(`${running.apiUrl}sites`, { headers }).then(
          (r) => r.status,
          () => 'reset',
        ),
      ),
    );
    expect(results.filter((r) => r === 'reset')).toHaveLength(3);
    expect(results.filter((r) => r === 200)).toHaveLength(3);
  });
});

describe('connection reset in process', () => {
  it('rejects app.request() as fetch rejects on a reset: TypeError fetch failed, cause ECONNRESET', async () => {
    const app = testSandbox();
    const caller = await callerFor(app, USERS.full);
    await addFault(app, { path: '/sites', reset_connection: true, times: 1 });
    const error = await caller.get('/sites').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionReset);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as { code: string }).code).toBe('ECONNRESET');
    expect((await caller.get('/sites')).status).toBe(200);
    const [, reset] = await journal(app, '?path=/sites');
    expect(reset?.fault?.connection_reset).toBe(true);
  });
});

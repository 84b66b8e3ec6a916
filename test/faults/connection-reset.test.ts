/**
 * The connection-reset fault on the wire, driven through supertest against the real @hono/node-server listener:
 * the client gets no response, only a socket error. One call goes through the platform's fetch, to show the
 * in-process ConnectionReset is the error fetch gives.
 */
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionReset } from '../../mock-server/faults/index.ts';
import { API_BASE_PATH, type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { callerFor, sharedWorldSandbox, smallTestWorld, USERS } from '../support/sandbox.ts';
import { addFault, journal } from './support.ts';

/** The socket error an HTTP client gets when the connection dies mid-response; fails on any response. */
async function socketError(call: PromiseLike<request.Response>): Promise<string | undefined> {
  const error = await Promise.resolve(call).then(
    (response) => {
      throw new Error(`expected the connection to be reset, got HTTP ${response.status}`);
    },
    (e: unknown) => e,
  );
  return (error as NodeJS.ErrnoException).code;
}

describe('connection reset on a listening sandbox', () => {
  let running: RunningSandbox;
  let headers: Record<string, string>;
  const get = (path: string, extra: Record<string, string> = {}) =>
    request(running.server)
      .get(`${API_BASE_PATH}${path}`)
      .set({ ...headers, ...extra });

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: smallTestWorld() });
    headers = (await callerFor(running.app, USERS.full)).headers;
  });

  afterAll(async () => {
    await running.stop();
  });

  beforeEach(async () => {
    await request(running.server).delete('/admin/faults').expect(200);
  });

  it('resets the socket mid-response for a reset_connection rule, then serves the next call', async () => {
    await addFault(running.app, { path: '/sites', reset_connection: true, times: 1 });
    // A TCP RST reads as ECONNRESET; read as a close first, Node's client says "socket hang up", also ECONNRESET.
    expect(await socketError(get('/sites'))).toBe('ECONNRESET');
    await get('/sites').expect(200);
  });

  it('resets the socket for X-Sandbox-Fault: reset, and for a status fault cut short', async () => {
    expect(await socketError(get('/sites', { 'X-Sandbox-Fault': 'reset' }))).toBe('ECONNRESET');
    expect(await socketError(get('/sites', { 'X-Sandbox-Fault': 'status=503;reset' }))).toBe('ECONNRESET');
    await get('/sites').expect(200);
  });

  it('records the reset in the journal with the status that was cut off', async () => {
    await addFault(running.app, { path: '/licence', reset_connection: true, times: 1 });
    await socketError(get('/licence'));
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
        Promise.resolve(get('/sites')).then(
          (r) => r.status,
          () => 'reset',
        ),
      ),
    );
    expect(results.filter((r) => r === 'reset')).toHaveLength(3);
    expect(results.filter((r) => r === 200)).toHaveLength(3);
  });

  it('fails a fetch with TypeError "fetch failed" and a socket cause, the error app.request() gives in process', async () => {
    await addFault(running.app, { path: '/sites', reset_connection: true, times: 1 });
    const error = await fetch(`${running.apiUrl}sites`, { headers }).then(
      (response) => new Error(`expected a network error, got HTTP ${response.status}`),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    // On a loaded machine undici may read the close before the reset.
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(((error as Error).cause as { code?: string }).code);
  });
});

describe('connection reset in process', () => {
  it('rejects app.request() as fetch rejects on a reset: TypeError fetch failed, cause ECONNRESET', async () => {
    const app = sharedWorldSandbox();
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

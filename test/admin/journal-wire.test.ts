/**
 * The journal of a listening sandbox. Over a socket an entry keeps Node's raw header list and the request URL, and
 * is redacted and cut only when read (in process it is redacted as it is recorded): what GET /admin/requests shows
 * must be the same either way, repeated and mixed-case headers, secrets and long values included.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE_PATH, type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { REDACTED } from '../../mock-server/journal/index.ts';
import { journal } from '../faults/support.ts';
import { companyHeaders, mintToken, smallTestWorld, USERS } from '../support/sandbox.ts';

/** Sends a request exactly as written (header lines in order, repeats kept) and resolves with the status. */
function raw(port: number, target: string, headerLines: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1])));
    socket.on('error', reject);
    socket.write(
      [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...headerLines, 'Connection: close', '', ''].join(
        '\r\n',
      ),
    );
  });
}

describe('the journal of a listening sandbox', () => {
  let running: RunningSandbox;
  let port: number;
  let token: string;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: smallTestWorld() });
    port = Number(new URL(running.url).port);
    token = await mintToken(running.app, USERS.full);
  });

  afterAll(async () => {
    await running.stop();
  });

  it('shows repeated, mixed-case, secret and long headers and a secret query as an in-process call records them', async () => {
    const long = 'v'.repeat(600);
    const status = await raw(port, `${API_BASE_PATH}/sites?code=s3cr3t&x=1&X=2&x=3`, [
      `Authorization: Bearer ${token}`,
      'X-Trace: first',
      'x-trace: second',
      'Cookie: session=secret-cookie',
      'OCP-APIM-Subscription-Key: secret-key',
      `X-Long: ${long}`,
      'User-Agent: wire-test',
    ]);
    expect(status).toBe(200);
    const [wire] = await journal(running.app, '?limit=1');
    expect(wire).toMatchObject({
      path: `${API_BASE_PATH}/sites`,
      query: { code: REDACTED, x: ['1', '3'], X: '2' },
      headers: {
        authorization: REDACTED,
        connection: 'close',
        cookie: REDACTED,
        host: `127.0.0.1:${port}`,
        'ocp-apim-subscription-key': REDACTED,
        'user-agent': 'wire-test',
        'x-long': `${'v'.repeat(511)}…`,
        'x-trace': 'first, second',
      },
      status: 200,
      user: USERS.full,
      client_id: 'sandbox-client',
    });
    expect(Object.keys(wire!.headers)).toEqual(Object.keys(wire!.headers).sort());
    expect(JSON.stringify(wire)).not.toMatch(/s3cr3t|secret-cookie|secret-key|eyJ/);

    await running.app.request(`${API_BASE_PATH}/sites?code=s3cr3t&x=1&X=2&x=3`, {
      headers: [
        ['Authorization', `Bearer ${token}`],
        ['X-Trace', 'first'],
        ['x-trace', 'second'],
        ['Cookie', 'session=secret-cookie'],
        ['OCP-APIM-Subscription-Key', 'secret-key'],
        ['X-Long', long],
        ['User-Agent', 'wire-test'],
        ['Connection', 'close'],
        ['Host', `127.0.0.1:${port}`],
      ],
    });
    const [inProcess] = await journal(running.app, '?limit=1');
    const { id: _a, time: _b, latency_ms: _c, ...fromWire } = wire!;
    const { id: _d, time: _e, latency_ms: _f, ...fromProcess } = inProcess!;
    expect(fromWire).toEqual(fromProcess);
  });

  it('keeps the first 64 headers in name order', async () => {
    const many = Array.from({ length: 70 }, (_, i) => `X-H-${String(i).padStart(2, '0')}: ${i}`);
    expect(await raw(port, '/admin/clock', many)).toBe(200);
    const [entry] = await journal(running.app, '?limit=1');
    const names = Object.keys(entry!.headers);
    expect(names).toHaveLength(64);
    expect(names[0]).toBe('connection');
    expect(names.at(-1)).toBe('x-h-61');
  });

  it('journals a read answered before the router with its user, site, company and client', async () => {
    const [customer] = running.app.sandbox.store
      .site(companyHeaders(running.app, USERS.full)['X-Site']!)!
      .companies.get(Number(companyHeaders(running.app, USERS.full)['X-Company']))!
      .table('customers')
      .all();
    const headers = Object.entries(companyHeaders(running.app, USERS.full)).map(([k, v]) => `${k}: ${v}`);
    const target = `${API_BASE_PATH}/customers/${customer!.id}`;
    expect(await raw(port, target, [`Authorization: Bearer ${token}`, ...headers])).toBe(200);
    const [entry] = await journal(running.app, '?limit=1');
    expect(entry).toMatchObject({
      method: 'GET',
      path: target,
      query: {},
      status: 200,
      fault: null,
      reason: null,
      user: USERS.full,
      site: companyHeaders(running.app, USERS.full)['X-Site'],
      company: Number(companyHeaders(running.app, USERS.full)['X-Company']),
      client_id: 'sandbox-client',
    });
    expect(entry!.headers.authorization).toBe(REDACTED);
    expect(Date.parse(entry!.time)).not.toBeNaN();
  });
});

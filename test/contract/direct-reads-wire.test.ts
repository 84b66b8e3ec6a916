/**
 * Plain reads on a listening sandbox are answered from the Node request, before @hono/node-server makes a web
 * Request of it (DirectReads.answerNode). On the wire they must be what the adapter and the app would send: the
 * same status, headers and body, and the same journal entry. Sandbox `direct` answers them so; sandbox `routed`,
 * on the same world, holds a fault rule that never fires, which keeps every request on the app's path. Requests
 * are written byte for byte, so targets, hosts and repeated headers the adapter rewrites or joins are covered.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  API_BASE_PATH,
  type JournalEntry,
  type RunningSandbox,
  startSandbox,
} from '../../mock-server/index.ts';
import { DirectReads } from '../../mock-server/resources/direct-reads.ts';
import { addFault, journal } from '../faults/support.ts';
import { companyHeaders, mintToken, smallTestWorld, USERS } from '../support/sandbox.ts';

interface OnTheWire {
  status: string;
  /** Header lines but Date, in the order sent. */
  headers: string[];
  body: string;
  entry: Omit<JournalEntry, 'id' | 'time' | 'latency_ms'>;
}

describe('plain reads on the wire', () => {
  const answered = vi.spyOn(DirectReads.prototype, 'answerNode');
  let direct: RunningSandbox;
  let routed: RunningSandbox;
  const tokens = new Map<RunningSandbox, string>();
  let site: string;
  let company: string;
  let customer: number;

  beforeAll(async () => {
    direct = await startSandbox({ port: 0, world: smallTestWorld() });
    routed = await startSandbox({ port: 0, world: smallTestWorld() });
    await addFault(routed.app, { path: '/never/*', status: 503 });
    for (const running of [direct, routed]) {
      const token = await mintToken(running.app, USERS.full);
      // The first call verifies the token's signature, which only the app does.
      await running.app.request(`${API_BASE_PATH}/sites`, { headers: { Authorization: `Bearer ${token}` } });
      tokens.set(running, token);
    }
    const headers = companyHeaders(direct.app, USERS.full);
    site = headers['X-Site']!;
    company = headers['X-Company']!;
    customer = direct.app.sandbox.store
      .site(site)!
      .companies.get(Number(company))!
      .table('customers')
      .all()[0]!.id as number;
  });

  afterAll(async () => {
    // Unit test files share modules in a worker: the spy must not outlive this file.
    answered.mockRestore();
    await direct.stop();
    await routed.stop();
  });

  /** Writes `method target` with the lines given ({token}, {host} filled in) and reads the whole answer. */
  async function send(
    running: RunningSandbox,
    method: string,
    target: string,
    lines: string[],
  ): Promise<OnTheWire> {
    const port = Number(new URL(running.url).port);
    const filled = lines.map((line) =>
      line.replace('{token}', tokens.get(running)!).replace('{port}', String(port)),
    );
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1');
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write([`${method} ${target} HTTP/1.1`, ...filled, 'Connection: close', '', ''].join('\r\n'));
    });
    const split = received.indexOf('\r\n\r\n');
    const [status, ...headers] = received.slice(0, split).split('\r\n');
    const [last] = await journal(running.app, '?limit=1');
    const { id: _id, time: _time, latency_ms: _latency, ...entry } = last!;
    return {
      status: status!,
      headers: headers.filter((line) => !/^date:/i.test(line)),
      body: received.slice(split + 4),
      entry: {
        ...entry,
        headers: { ...entry.headers, host: entry.headers.host?.replace(/\d+$/, 'port') ?? '' },
      },
    };
  }

  async function both(method: string, target: string, lines: string[]) {
    const fromRouted = await send(routed, method, target, lines);
    answered.mockClear();
    const fromDirect = await send(direct, method, target, lines);
    const wasDirect = answered.mock.results.some((r) => r.value === true);
    return { fromRouted, fromDirect, wasDirect };
  }

  const gateway = () => ['Authorization: Bearer {token}', `X-Site: ${site}`, `X-Company: ${company}`];
  const host = 'Host: 127.0.0.1:{port}';

  it.each([
    ['one record', () => `${API_BASE_PATH}/customers/${customer}`],
    ['one record with $select', () => `${API_BASE_PATH}/customers/${customer}?$select=id,name`],
    ['one record with a fragment', () => `${API_BASE_PATH}/customers/${customer}?$select=id#part`],
    ['the sites', () => `${API_BASE_PATH}/sites`],
    [
      'a page of a list (a pooled body)',
      () => `${API_BASE_PATH}/sales_posted_transactions?$orderby=id&$top=100`,
    ],
    [
      'a list with $expand',
      () => `${API_BASE_PATH}/sales_posted_transactions?$expand=customer&$orderby=id&$top=30`,
    ],
    [
      'a list with a percent-encoded $filter',
      () => `${API_BASE_PATH}/sales_posted_transactions?$filter=customer_id%20eq%20${customer}&$top=5`,
    ],
    [
      'a list with a query the adapter rewrites',
      () => `${API_BASE_PATH}/customers?$filter=name%20eq%20'A"B'&$select=id`,
    ],
  ])('answers %s as the adapter and the app do', async (_name, target) => {
    const { fromRouted, fromDirect, wasDirect } = await both('GET', target(), [host, ...gateway()]);
    expect(fromDirect.status).toBe('HTTP/1.1 200 OK');
    expect(wasDirect).toBe(true);
    expect(fromDirect.body).toBe(fromRouted.body);
    expect(fromDirect.entry).toEqual(fromRouted.entry);
    expect([...fromDirect.headers].sort()).toEqual([...fromRouted.headers].sort());
  });

  it.each([
    [
      'a percent-encoded id',
      () => `${API_BASE_PATH}/customers/%3${String(customer).slice(0, 1)}${String(customer).slice(1)}`,
      [host],
    ],
    ['a dot segment', () => `${API_BASE_PATH}/sites/../customers/${customer}`, [host]],
    ['an upper-case Host', () => `${API_BASE_PATH}/customers/${customer}`, ['Host: LOCALHOST:{port}']],
    [
      'a repeated Authorization',
      () => `${API_BASE_PATH}/customers/${customer}`,
      [host, 'Authorization: Bearer {token}'],
    ],
    [
      'an absolute-form target',
      () => `http://127.0.0.1/${API_BASE_PATH.slice(1)}/customers/${customer}`,
      [host],
    ],
  ] as const)('leaves %s to the adapter and the app', async (_name, target, lines) => {
    const { fromRouted, fromDirect, wasDirect } = await both('GET', target(), [...lines, ...gateway()]);
    expect(wasDirect).toBe(false);
    expect(fromDirect.status).toBe(fromRouted.status);
    expect(fromDirect.body).toBe(fromRouted.body);
    expect(fromDirect.entry).toEqual(fromRouted.entry);
    expect(fromDirect.headers).toEqual(fromRouted.headers);
  });

  it('leaves a HEAD to the app, which answers it without a body', async () => {
    const { fromRouted, fromDirect, wasDirect } = await both(
      'HEAD',
      `${API_BASE_PATH}/customers/${customer}`,
      [host, ...gateway()],
    );
    expect(wasDirect).toBe(false);
    expect(fromDirect).toEqual(fromRouted);
    expect(fromDirect.body).toBe('');
  });
});

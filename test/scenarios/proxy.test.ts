/**
 * `sage200-sandbox proxy` in front of a second sandbox standing in for Sage: it answers as the service does, holds
 * each answer to the contract, and records the README walkthrough's reads into a scenario file in the shared core
 * of issue 14's format, masked, with ids and relationships kept.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../client/verify/cli.ts';
import { type Pace, pacedFetch } from '../../client/verify/http.ts';
import { isPersonalField, maskRecord, maskValue } from '../../client/verify/masking.ts';
import { createProxy, PROXY_API_PATH, type RecordingProxy } from '../../client/verify/proxy.ts';
import { derivedGuid, RECORDED_USER } from '../../client/verify/scenario-recorder.ts';
import { createResponseValidator, loadContract } from '../../contracts/index.ts';
import {
  createSandbox,
  DEFAULT_OPTIONS,
  type SandboxApp,
  type SandboxOptionsInput,
} from '../../mock-server/index.ts';
import {
  companyHeaders,
  copyOfWorld,
  mintToken,
  sharedWorldSandbox,
  smallTestWorld,
  USERS,
} from '../support/sandbox.ts';
import { ORIGIN, standIn } from './stand-in.ts';

const API = `${ORIGIN}${PROXY_API_PATH}/`;
const doc = loadContract();
const validator = createResponseValidator(doc);
const NO_WAIT: Pace = { now: () => 0, sleep: async () => {} };

interface ScenarioCore {
  version: number;
  name: string;
  sites: {
    id: string;
    name: string;
    kind: string;
    users: string[];
    companies: {
      id: number;
      name: string;
      base: string;
      records: Record<string, Record<string, unknown>[]>;
    }[];
  }[];
}

/** The README walkthrough's reads, and a few more that reach nested lists and records. */
function walkthrough(customerId: number): string[] {
  return [
    '/sites',
    '/customers?$top=3&$select=id,reference,name,balance',
    '/customers?$top=5',
    `/customers/${customerId}`,
    `/customers/${customerId}/customer_contacts`,
    '/sales_posted_transactions?$filter=date_time_updated%20gt%202000-01-01T00:00:00Z&$orderby=id&$top=20',
    '/customers?$top=2&$expand=contacts/salutation,currency&$select=id,name,contacts.last_name,currency.symbol',
    '/customers?$metadata=true',
    '/suppliers?$top=4',
    '/nominal_codes?$top=10',
    '/customer_views?$top=3',
  ];
}

function proxyFor(
  app: SandboxApp,
  mask: boolean,
  file: string | undefined,
  fetch = standIn(app),
): RecordingProxy {
  return createProxy({
    apiBaseUrl: API,
    fetch: pacedFetch(fetch, 1000, NO_WAIT),
    allowWrites: [],
    recorder: { name: 'recorded-walkthrough', description: 'test', mask, firstCompanyId: 901 },
    scenarioFile: file,
  });
}

describe('sage200-sandbox proxy', () => {
  let app: SandboxApp;
  let token: string;
  let headers: Record<string, string>;
  let reads: string[];
  /** Each read's answer straight from the stand-in and through the proxy. */
  const direct = new Map<string, { status: number; text: string }>();
  const proxied = new Map<string, { status: number; text: string }>();
  let file: string;
  let scenario: ScenarioCore;
  let text: string;

  beforeAll(async () => {
    app = sharedWorldSandbox();
    token = await mintToken(app, USERS.full);
    headers = { Authorization: `Bearer ${token}`, ...companyHeaders(app, USERS.full) };
    const fetch = standIn(app);
    const first = await fetch(new Request(`${API}customers?$top=1`, { headers }));
    const [customer] = (await first.json()) as { id: number }[];
    reads = walkthrough(customer!.id);
    file = join(mkdtempSync(join(tmpdir(), 'sage200-proxy-')), 'recorded.yaml');
    const proxy = proxyFor(app, true, file);
    for (const read of reads) {
      const straight = await fetch(new Request(`${API}${read.slice(1)}`, { headers }));
      direct.set(read, { status: straight.status, text: await straight.text() });
      const through = await proxy.app.request(`${PROXY_API_PATH}${read}`, { headers });
      proxied.set(read, { status: through.status, text: await through.text() });
    }
    text = readFileSync(file, 'utf8');
    scenario = parse(text) as ScenarioCore;
  }, 120_000);

  it('answers every read as the service does, byte for byte', () => {
    for (const read of reads) expect(proxied.get(read), read).toEqual(direct.get(read));
  });

  it("writes the shared core: one full site with a derived GUID, company 901 with base empty, records by the contract's collection paths", () => {
    expect(scenario).toMatchObject({ version: 1, name: 'recorded-walkthrough' });
    expect(scenario.sites).toHaveLength(1);
    const [site] = scenario.sites;
    expect(site).toMatchObject({ id: derivedGuid(headers['X-Site']!), kind: 'full', users: [RECORDED_USER] });
    expect(site!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(site!.companies.map((c) => [c.id, c.base])).toEqual([[901, 'empty']]);
    const records = site!.companies[0]!.records;
    // Whole records of stored collections only: no $select, $expand or $metadata answer, no view.
    expect(Object.keys(records)).toEqual([
      'customer_contacts',
      'customers',
      'nominal_codes',
      'sales_posted_transactions',
      'suppliers',
    ]);
    for (const key of Object.keys(records)) expect(doc.paths[`/${key}`]?.get, key).toBeDefined();
    expect(records.customers).toHaveLength(5);
    expect(records.suppliers).toHaveLength(4);
    expect(records.nominal_codes).toHaveLength(10);
  });

  it("keeps every record valid against the contract's schema, masked as it is", () => {
    const records = scenario.sites[0]!.companies[0]!.records;
    for (const [collection, list] of Object.entries(records)) {
      const result = validator.validateResponse('GET', `/${collection}`, 200, list);
      expect(result.ok ? '' : result.errors, collection).toBe('');
    }
  });

  it('masks names, emails, phones, addresses and VAT numbers, and keeps ids, references and amounts', () => {
    const original = (JSON.parse(direct.get('/customers?$top=5')!.text) as Record<string, unknown>[])!;
    const recorded = scenario.sites[0]!.companies[0]!.records.customers!;
    expect(recorded).toEqual(original.map((record) => maskRecord('customers', record)));
    for (const [index, customer] of original.entries()) {
      const masked = recorded[index]!;
      expect(masked.id).toBe(customer.id);
      expect(masked.reference).toBe(customer.reference);
      expect(masked.balance).toBe(customer.balance);
      expect(masked.currency_id).toBe(customer.currency_id);
      expect(masked.name).not.toBe(customer.name);
      expect(String(masked.name).length).toBe(String(customer.name).length);
      const address = customer.main_address as Record<string, unknown>;
      const maskedAddress = masked.main_address as Record<string, unknown>;
      for (const field of ['address_1', 'city', 'postcode']) {
        if (address[field] !== '') expect(maskedAddress[field]).not.toBe(address[field]);
      }
    }
    // No personal value of any recorded record survives anywhere in the file.
    const personal = new Set<string>();
    const collect = (collection: string, node: unknown): void => {
      if (Array.isArray(node)) for (const item of node) collect(collection, item);
      else if (node !== null && typeof node === 'object') {
        for (const [field, value] of Object.entries(node)) {
          if (typeof value === 'string' && value.length > 3 && isPersonalField(collection, field))
            personal.add(value);
          else collect(collection, value);
        }
      }
    };
    for (const read of ['/customers?$top=5', '/suppliers?$top=4']) {
      collect(read.slice(1, read.indexOf('?')), JSON.parse(direct.get(read)!.text));
    }
    expect(personal.size).toBeGreaterThan(20);
    for (const value of personal) expect(text, value).not.toContain(value);
  });

  it('masks the same value the same way everywhere, so records still agree', () => {
    const records = scenario.sites[0]!.companies[0]!.records;
    const customer = records.customers!.find((c) => c.id === records.customer_contacts![0]!.customer_id);
    expect(customer).toBeDefined();
    // The record read by id and the list's copy are one record in the file, masked alike.
    expect(records.customers!.filter((c) => c.id === customer!.id)).toHaveLength(1);
    expect(maskValue('Jane Doe')).toBe(maskValue('Jane Doe'));
    expect(maskValue('jane@example.co.uk')).toMatch(/^[a-z]{4}@example\.test$/);
    // Every customer id a recorded transaction names is kept as it was.
    const originalIds = (JSON.parse(direct.get(reads[5]!)!.text) as { customer_id: number }[]).map(
      (t) => t.customer_id,
    );
    expect(records.sales_posted_transactions!.map((t) => t.customer_id)).toEqual(originalIds);
  });

  it('never writes the token', () => {
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/eyJ[\w-]{20,}/);
  });

  it('with --no-mask records the records exactly as the service sent them', async () => {
    const proxy = proxyFor(app, false, undefined);
    await proxy.app.request(`${PROXY_API_PATH}/customers?$top=5`, { headers });
    const unmasked = proxy.recorder.document() as unknown as ScenarioCore;
    expect(unmasked.sites[0]!.companies[0]!.records.customers).toEqual(
      JSON.parse(direct.get('/customers?$top=5')!.text),
    );
  });

  it('refuses a write with 403 and forwards nothing unless --allow-writes names its path', async () => {
    let forwarded = 0;
    const fetch = standIn(app);
    const proxy = proxyFor(app, true, undefined, async (request) => {
      forwarded += 1;
      return fetch(request);
    });
    const refused = await proxy.app.request(`${PROXY_API_PATH}/customers`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'X', reference: 'X' }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { Message: string }).Message).toContain('--allow-writes');
    expect(forwarded).toBe(0);
  });

  it('reports a difference of the service once, with its path and field', async () => {
    const proxy = proxyFor(app, true, undefined, standIn(app, { renamedField: true }));
    for (const read of ['/customers?$top=5', '/customers?$top=2']) {
      await proxy.app.request(`${PROXY_API_PATH}${read}`, { headers });
    }
    expect(proxy.differences()).toEqual([
      {
        resource: 'customers',
        field: 'name',
        problems: [expect.stringMatching(/^missing; `customer_name`.*renamed/)],
        paths: ['GET /customers'],
      },
    ]);
  });

  it('as a command, serves on a port, prints each exchange without the token and writes the file', async () => {
    let release = () => {};
    const stopped = new Promise<void>((resolve) => {
      release = resolve;
    });
    let out = '';
    const cliFile = join(mkdtempSync(join(tmpdir(), 'sage200-proxy-cli-')), 'cli.yaml');
    const done = main(['proxy', '--port', '0', '--record', cliFile, '--base-url', API], {
      out: (chunk) => {
        out += chunk;
      },
      err: (chunk) => {
        out += chunk;
      },
      env: {},
      fetch: standIn(app),
      pace: NO_WAIT,
      stopped: () => stopped,
    });
    await vi.waitFor(() => expect(out).toMatch(/forwarding http:\/\/127\.0\.0\.1:\d+/), { timeout: 20_000 });
    const port = /forwarding http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1];
    const response = await fetch(`http://127.0.0.1:${port}${PROXY_API_PATH}/customers?$top=2`, { headers });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      await (await standIn(app)(new Request(`${API}customers?$top=2`, { headers }))).text(),
    );
    release();
    expect(await done).toBe(0);
    expect(out).toContain('GET /customers?$top=2 200: recorded 2');
    expect(out).not.toContain(token);
    expect(
      (parse(readFileSync(cliFile, 'utf8')) as ScenarioCore).sites[0]!.companies[0]!.records.customers,
    ).toHaveLength(2);
  });

  // The scenario loader comes with issue 14 (createSandbox's `scenarios` option); until it is merged this check
  // is skipped, and it runs as it is once DEFAULT_OPTIONS has `scenarios`.
  const scenarioLoaderLanded = 'scenarios' in DEFAULT_OPTIONS;
  it.runIf(scenarioLoaderLanded)(
    'replays the recorded reads offline with the same bytes',
    async () => {
      const replay = createSandbox({
        world: copyOfWorld(smallTestWorld()),
        scenarios: [file],
        freezeClock: true,
      } as unknown as SandboxOptionsInput);
      const replayToken = await mintToken(replay, RECORDED_USER);
      const site = scenario.sites[0]!;
      const replayHeaders = {
        Authorization: `Bearer ${replayToken}`,
        'X-Site': site.id,
        'X-Company': String(site.companies[0]!.id),
      };
      // Every recorded read (whole records of stored collections): the replay serves the masked answer exactly.
      for (const read of reads.filter(
        (r) => r !== '/sites' && !/\$(select|expand|metadata)|customer_views/.test(r),
      )) {
        const answer = await replay.request(`${PROXY_API_PATH}${read}`, { headers: replayHeaders });
        const expected = JSON.parse(direct.get(read)!.text) as unknown;
        const collection = read
          .slice(1)
          .split(/[/?]/)
          .at(read.includes('customer_contacts') ? 2 : 0)!;
        const maskedBody = Array.isArray(expected)
          ? expected.map((r) => maskRecord(collection, r))
          : maskRecord(collection, expected);
        expect(answer.status, read).toBe(200);
        expect(await answer.text(), read).toBe(JSON.stringify(maskedBody));
      }
    },
    120_000,
  );
});

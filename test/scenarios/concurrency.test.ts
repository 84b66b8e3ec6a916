/**
 * Concurrency (issue 4, item 5): a listening sandbox takes 500 creates and 500 updates all in flight at once, over
 * real sockets (supertest on the listening server), and every one is accounted for: no id handed out twice, no
 * reference missing, no update lost; memo creates and deletes and a courier collection PUT among them likewise. Run in memory and with a state file, where every write is also fsynced to
 * the write-ahead log before its 200, and where a restart then finds them all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE_PATH, createSandbox, type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { copyOfWorld, smallTestWorld, USERS } from '../support/sandbox.ts';

const BURST = 500;
/** Free-text customer fields a PUT may set (Sage's Customer schema: not read-only, no format, no lookup). */
const FIELDS = [
  'spare_text_1',
  'spare_text_2',
  'spare_text_3',
  'spare_text_4',
  'spare_text_5',
  'spare_text_6',
  'spare_text_7',
  'spare_text_8',
  'spare_text_9',
  'spare_text_10',
  'telephone_subscriber_number',
  'fax_subscriber_number',
  'credit_reference',
  'trading_terms',
  'website',
] as const;

const root = mkdtempSync(join(tmpdir(), 'sage200-concurrency-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Burst {
  running: () => RunningSandbox;
  headers: () => Record<string, string>;
  /** Stops the sandbox now rather than after the file's tests. */
  stop: () => Promise<void>;
}

/** The burst tests on a listening sandbox (with a state file when given one), in the calling describe. */
function burstTests(stateFile: string | undefined): Burst {
  let running: RunningSandbox;
  let headers: Record<string, string>;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: copyOfWorld(smallTestWorld()), stateFile });
    const minted = await request(running.server).post('/admin/tokens').send({ user: USERS.full }).expect(200);
    const { access_token } = minted.body as { access_token: string };
    const user = running.app.sandbox.store.userByEmail(USERS.full)!;
    const company = running.app.sandbox.store.site(user.site_id)!.site.companies[0]!;
    headers = {
      Authorization: `Bearer ${access_token}`,
      'X-Site': user.site_id,
      'X-Company': String(company.company_id),
    };
  });

  let stopped = false;
  afterAll(async () => {
    if (!stopped) await running?.stop();
  });

  function call(method: 'get' | 'post' | 'put', path: string, body?: object): request.Test {
    const test = request(running.server)[method](`${API_BASE_PATH}/${path}`).set(headers);
    return body === undefined ? test : test.send(body);
  }

  async function record(path: string): Promise<SageRecord> {
    const response = await call('get', path);
    expect(response.status).toBe(200);
    return response.body as SageRecord;
  }

  function companyStore() {
    const store = running.app.sandbox.store;
    return store.site(headers['X-Site']!)!.companies.get(Number(headers['X-Company']))!;
  }

  it(`gives ${BURST} concurrent creates ${BURST} distinct new ids and keeps every reference`, async () => {
    const before = new Set(
      companyStore()
        .table('customers')
        .all()
        .map((c) => c.id),
    );
    const firstFree = companyStore().company.next_id;
    const references = Array.from({ length: BURST }, (_, i) => `CC${String(i).padStart(4, '0')}`);
    const responses = await Promise.all(
      references.map((reference) =>
        call('post', 'customers', { reference, name: `Concurrent ${reference}` }),
      ),
    );
    const created = responses.map((response) => {
      expect(response.status).toBe(200);
      return response.body as SageRecord;
    });
    expect(created.map((c) => c.reference)).toEqual(references);
    const ids = created.map((c) => c.id as number);
    expect(new Set(ids).size).toBe(BURST);
    for (const id of ids) {
      expect(before.has(id)).toBe(false);
      expect(id).toBeGreaterThanOrEqual(firstFree);
    }

    const listed = await record(
      `customers?$filter=startswith(reference,'CC')&$select=id,reference&$top=5000`,
    );
    const byReference = new Map((listed as unknown as SageRecord[]).map((c) => [c.reference, c.id]));
    expect(byReference.size).toBe(BURST);
    created.forEach((c) => {
      expect(byReference.get(c.reference)).toBe(c.id);
    });
  });

  it(`loses no update among ${BURST} concurrent updates of one customer's fields`, async () => {
    const [target] = (await record('customers?$top=1&$select=id')) as unknown as SageRecord[];
    const id = target!.id as number;
    const original = Object.fromEntries(FIELDS.map((field) => [field, 'ORIGINAL']));
    const start = await call('put', `customers/${id}`, original);
    expect(start.status).toBe(200);
    const stamped = (start.body as SageRecord).date_time_updated as string;
    await request(running.server).post('/admin/clock/advance').send({ seconds: 60 }).expect(200);

    const updates = Array.from({ length: BURST }, (_, i) => ({
      field: FIELDS[i % FIELDS.length]!,
      value: `V${i}`,
    }));
    const responses = await Promise.all(
      updates.map(({ field, value }) => call('put', `customers/${id}`, { [field]: value })),
    );
    const answers = responses.map((response) => {
      expect(response.status).toBe(200);
      return response.body as SageRecord;
    });
    // Each answer shows its own write; a handler that merged into a record read before another commit would
    // revert fields to ORIGINAL, which the final check below catches.
    updates.forEach(({ field, value }, i) => {
      expect(answers[i]![field]).toBe(value);
    });

    const final = await record(`customers/${id}`);
    for (const field of FIELDS) {
      const sent = updates.filter((u) => u.field === field).map((u) => u.value);
      expect(sent).toContain(final[field]);
    }
    expect(Date.parse(final.date_time_updated as string)).toBeGreaterThan(Date.parse(stamped) + 59_000);
  });

  it(`keeps ${BURST / 5} concurrent memo creates, then their deletes, with a courier rename among them`, async () => {
    const customers = companyStore()
      .table('customers')
      .all()
      .slice(0, 10)
      .map((c) => c.id as number);
    const creates = await Promise.all(
      Array.from({ length: BURST / 5 }, (_, i) =>
        call('post', 'customer_memos', { customer_id: customers[i % customers.length], note: `Burst ${i}` }),
      ),
    );
    const memos = creates.map((response) => {
      expect(response.status).toBe(200);
      return response.body as SageRecord;
    });
    expect(new Set(memos.map((m) => m.id)).size).toBe(BURST / 5);
    const courier = companyStore().table('couriers').all()[0]!;
    const deletes = await Promise.all([
      ...memos.map((m) =>
        request(running.server).delete(`${API_BASE_PATH}/customer_memos/${m.id}`).set(headers),
      ),
      call('put', 'couriers', [{ id: courier.id, website: 'https://burst.example.test' }]),
    ]);
    for (const response of deletes) expect(response.status).toBe(200);
    const left = companyStore()
      .table('customer_memos')
      .all()
      .filter((m) => String(m.note).startsWith('Burst '));
    expect(left).toEqual([]);
    expect(
      companyStore()
        .table('couriers')
        .get(courier.id as number)?.website,
    ).toBe('https://burst.example.test');
  });

  return {
    running: () => running,
    headers: () => headers,
    stop: async () => {
      await running.stop();
      stopped = true;
    },
  };
}

describe('in memory, a listening sandbox', () => {
  burstTests(undefined);
});

describe('with a state file, a listening sandbox', () => {
  const stateFile = join(root, 'world.state');
  const burst = burstTests(stateFile);

  it('has every one of those writes on disk: a restart finds them all', async () => {
    const running = burst.running();
    const companyId = Number(burst.headers()['X-Company']);
    const user = running.app.sandbox.store.userByEmail(USERS.full)!;
    const tables = ['customers', 'customer_memos', 'couriers'] as const;
    const liveCompany = running.app.sandbox.store.site(user.site_id)!.companies.get(companyId)!;
    const live = tables.map((table) => liveCompany.table(table).all());
    await burst.stop();
    const reopened = createSandbox({ stateFile });
    try {
      const company = reopened.sandbox.store.site(user.site_id)!.companies.get(companyId)!;
      expect(JSON.stringify(tables.map((table) => company.table(table).all()))).toBe(JSON.stringify(live));
    } finally {
      reopened.sandbox.close();
    }
  });
});

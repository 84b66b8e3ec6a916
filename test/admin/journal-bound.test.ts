/**
 * The journal keeps a fixed number of entries however many requests arrive. That its memory stays flat is measured
 * by `npm run bench` (bench/checks.ts), where a heap figure belongs.
 */
import { describe, expect, it } from 'vitest';
import { API_BASE_PATH } from '../../mock-server/index.ts';
import { type RequestFacts, RequestJournal, RingBuffer } from '../../mock-server/journal/index.ts';
import { journal } from '../faults/support.ts';
import { sharedWorldSandbox } from '../support/sandbox.ts';

describe('the journal is bounded', () => {
  it('keeps the newest 100 of 5,000 requests in 100 slots', async () => {
    const app = sharedWorldSandbox({ journalSize: 100 });
    for (let i = 1; i <= 5_000; i++) await app.request(`${API_BASE_PATH}/sites?n=${i}`);
    expect(app.sandbox.journal.length).toBe(100);
    expect(app.sandbox.journal.allocated).toBe(100);
    expect(app.sandbox.journal.recorded).toBe(5_000);
    const entries = await journal(app, '?limit=100');
    expect(entries.map((e) => e.query.n)).toEqual(Array.from({ length: 100 }, (_, i) => String(5_000 - i)));
  });

  it.each([
    [1, 5, [5]],
    [3, 2, [2, 1]],
    [3, 7, [7, 6, 5]],
  ])('a ring buffer of %i after %i pushes holds %j, newest first', (capacity, pushes, expected) => {
    const ring = new RingBuffer<number>(capacity);
    for (let i = 1; i <= pushes; i++) ring.push(i);
    expect([...ring.newestFirst()]).toEqual(expected);
    expect(ring.allocated).toBe(capacity);
  });

  it('once full, writes each request over the oldest entry, every field of it', () => {
    const journal = new RequestJournal({ capacity: 2 });
    const facts = (n: number): RequestFacts => ({
      at: Date.UTC(2026, 11, 7, 9, 0, n),
      method: n % 2 ? 'GET' : 'POST',
      path: `/api/customers/${n}`,
      query: `/api/customers/${n}?n=${n}`,
      headers: `Host\nexample.test\nX-N\n${n}`,
      status: 200 + n,
      latency_ms: n / 10,
      fault: n === 3 ? { rules: ['r1'], status: 503, latency_ms: 0, connection_reset: false } : null,
      reason: n === 4 ? 'expired' : null,
      user: `user${n}@sandbox.test`,
      site: `site-${n}`,
      company: n,
      client_id: `client-${n}`,
    });
    const shown = (n: number) => ({
      id: n,
      time: new Date(facts(n).at).toISOString(),
      method: facts(n).method,
      path: facts(n).path,
      query: { n: String(n) },
      headers: { host: 'example.test', 'x-n': String(n) },
      status: facts(n).status,
      latency_ms: facts(n).latency_ms,
      fault: facts(n).fault,
      reason: facts(n).reason,
      user: facts(n).user,
      site: facts(n).site,
      company: n,
      client_id: facts(n).client_id,
    });
    for (let n = 1; n <= 5; n++) {
      journal.record(facts(n));
      expect(journal.list({ limit: 10 })).toEqual([n, n - 1].filter((id) => id >= 1).map((id) => shown(id)));
    }
    expect(journal.allocated).toBe(2);
  });

  it('an entry read before it is written over keeps what it showed', () => {
    const journal = new RequestJournal({ capacity: 1 });
    const base: RequestFacts = {
      at: 0,
      method: 'GET',
      path: '/api/sites',
      query: '/api/sites',
      headers: '',
      status: 200,
      latency_ms: 1,
      fault: null,
      reason: null,
      user: null,
      site: null,
      company: null,
      client_id: null,
    };
    journal.record(base);
    const [first] = journal.list({ limit: 1 });
    journal.record({ ...base, path: '/api/customers', status: 404 });
    expect(first).toMatchObject({ id: 1, path: '/api/sites', status: 200 });
    expect(journal.list({ limit: 1 })[0]).toMatchObject({ id: 2, path: '/api/customers', status: 404 });
  });
});

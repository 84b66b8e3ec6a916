import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';
import { addFault, admin } from './support.ts';

describe('/admin/faults', () => {
  let app: SandboxApp;

  beforeEach(() => {
    app = sharedWorldSandbox();
  });

  it('adds a rule with 201, an id and a Location, and echoes what was given', async () => {
    const response = await admin(app, 'POST', '/faults', { method: 'get', path: '/customers*', status: 429 });
    expect(response.status).toBe(201);
    const rule = await response.json();
    expect(rule).toEqual({
      id: 'fault-1',
      method: 'GET',
      path: '/customers*',
      status: 429,
      matches: 0,
      applied: 0,
      remaining: null,
    });
    expect(response.headers.get('Location')).toBe('/admin/faults/fault-1');
  });

  it('lists rules in the order they were added, with their hit counts', async () => {
    await addFault(app, { path: '/customers', status: 503, times: 1 });
    await addFault(app, { path: '/suppliers', status: 500 });
    const caller = await callerFor(app, USERS.full);
    await caller.get('/customers');
    await caller.get('/customers');
    const { faults } = (await (await admin(app, 'GET', '/faults')).json()) as {
      faults: { id: string; matches: number; applied: number; remaining: number | null }[];
    };
    expect(faults.map((f) => [f.id, f.matches, f.applied, f.remaining])).toEqual([
      ['fault-1', 1, 1, 0],
      ['fault-2', 0, 0, null],
    ]);
  });

  it('removes one rule by id and answers with its final counts; the id is never reused', async () => {
    const first = await addFault(app, { status: 500 });
    await addFault(app, { status: 503 });
    const removed = await admin(app, 'DELETE', `/faults/${first}`);
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ id: first, status: 500 });
    expect(await addFault(app, { status: 504 })).toBe('fault-3');
    const { faults } = (await (await admin(app, 'GET', '/faults')).json()) as { faults: { id: string }[] };
    expect(faults.map((f) => f.id)).toEqual(['fault-2', 'fault-3']);
  });

  it('removes every rule with DELETE /admin/faults, so calls go through again', async () => {
    await addFault(app, { status: 503 });
    await addFault(app, { status: 500 });
    const caller = await callerFor(app, USERS.full);
    expect((await caller.get('/customers')).status).toBe(503);
    const response = await admin(app, 'DELETE', '/faults');
    expect(await response.json()).toEqual({ removed: 2 });
    expect((await caller.get('/customers')).status).toBe(200);
  });

  it.each([
    ['DELETE', '/faults/fault-9'],
    ['GET', '/faults/fault-9'],
  ])('answers %s %s for an unknown rule with a 404 AdminError', async (method, path) => {
    const response = await admin(app, method, path);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'unknown_fault',
      message: 'no fault rule fault-9; GET /admin/faults lists them',
    });
  });

  it.each([
    [{ status: 200 }, 'body.status'],
    [{ status: '503' }, 'body.status'],
    [{ status: 600 }, 'body.status'],
    [{ method: 'FETCH', status: 500 }, 'body.method'],
    [{ path: 'customers', status: 500 }, 'body.path'],
    [{ path: '/customers?$top=1', status: 500 }, 'body.path'],
    [{ path: '/customers/{Id', status: 500 }, 'body.path'],
    [{ path: '/admin/faults', status: 500 }, 'body.path'],
    [{ company: 'one', status: 500 }, 'body.company'],
    [{ site: '', status: 500 }, 'body.site'],
    [{ client_id: 7, status: 500 }, 'body.client_id'],
    [{ times: 0, status: 500 }, 'body.times'],
    [{ every: 1.5, status: 500 }, 'body.every'],
    [{ probability: 1.5, status: 500 }, 'body.probability'],
    [{ latency_ms: -1 }, 'body.latency_ms'],
    [{ latency_ms: 60_001 }, 'body.latency_ms'],
    [{ latency: { min_ms: 50 } }, 'body.latency.max_ms'],
    [{ latency: { min_ms: 90, max_ms: 10 } }, 'body.latency.max_ms'],
    [{ latency_ms: 5, latency: { min_ms: 1, max_ms: 2 } }, 'body.latency'],
    [{ retry_after: 2 }, 'body.retry_after'],
    [{ body: { a: 1 } }, 'body.body'],
    [{ headers: { 'X-A': 'b' } }, 'body.headers'],
    [{ status: 500, headers: { 'Bad Name': 'b' } }, 'body.headers'],
    [{ status: 500, headers: { 'X-A': 'line\r\nbreak' } }, 'body.headers'],
    [{ status: 500, headers: { 'X-A': '\u{1F600}' } }, 'body.headers'],
    [{ reset_connection: 'yes' }, 'body.reset_connection'],
    [{ path: '/customers' }, 'body.status'],
    [{ retryAfter: 2, status: 429 }, 'body.retryAfter'],
    [{ path: '/id/oauth/token', site: 'x', status: 500 }, 'body.site'],
  ])('refuses %j with a 400 AdminError naming %s', async (rule, field) => {
    const response = await admin(app, 'POST', '/faults', rule);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_fault');
    expect(body.message).toContain(field);
    const { faults } = (await (await admin(app, 'GET', '/faults')).json()) as { faults: unknown[] };
    expect(faults).toEqual([]);
  });

  it('refuses a response body nesting 2,000 arrays with a 400, not a stack overflow', async () => {
    const deep: unknown = JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`);
    const response = await admin(app, 'POST', '/faults', { status: 500, body: deep });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(
      'body.body must not nest deeper than 64 levels',
    );
  });

  it('refuses a body that is not JSON with 415, and a JSON array with 400', async () => {
    const text = await app.request('/admin/faults', { method: 'POST', body: 'status=500' });
    expect(text.status).toBe(415);
    const array = await admin(app, 'POST', '/faults', [{ status: 500 }]);
    expect(array.status).toBe(400);
  });

  it('keeps each sandbox’s rules to itself', async () => {
    const other = sharedWorldSandbox();
    await addFault(app, { status: 503 });
    const mine = await callerFor(app, USERS.full);
    const theirs = await callerFor(other, USERS.full);
    expect((await mine.get('/customers')).status).toBe(503);
    expect((await theirs.get('/customers')).status).toBe(200);
  });
});

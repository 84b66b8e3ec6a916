import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseFaultHeader } from '../../mock-server/faults/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';
import { addFault, admin, journal, settlesAfter } from './support.ts';

describe('the X-Sandbox-Fault header', () => {
  let app: SandboxApp;
  let caller: Caller;

  beforeEach(async () => {
    app = sharedWorldSandbox();
    caller = await callerFor(app, USERS.full);
  });

  it('applies status=429;retry-after=2 to that request only', async () => {
    const response = await caller.get('/customers', { 'X-Sandbox-Fault': 'status=429;retry-after=2' });
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('2');
    expect(await response.json()).toEqual({
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 2 seconds.',
    });
    expect((await caller.get('/customers')).status).toBe(200);
  });

  it('applies status=503 with the gateway body', async () => {
    const response = await caller.get('/customers', { 'X-Sandbox-Fault': 'status=503' });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ statusCode: 503, message: 'Service Unavailable' });
  });

  it('wins over the rules, which do not count the request', async () => {
    const id = await addFault(app, { status: 500 });
    expect((await caller.get('/customers', { 'X-Sandbox-Fault': 'status=504' })).status).toBe(504);
    const rule = (await (await admin(app, 'GET', `/faults/${id}`)).json()) as { matches: number };
    expect(rule.matches).toBe(0);
  });

  it.each([
    ['', 'is empty'],
    ['status=42', "item status must be an HTTP error status from 400 to 599, not '42'"],
    ['status=abc', 'item status must be'],
    ['latency=-5', 'item latency must be'],
    ['latency=90000', 'item latency must be'],
    ['latency=300-100', 'runs backwards'],
    ['retry-after=2', 'retry-after without a status'],
    ['status=503;status=500', 'gives status twice'],
    ['explode', "unknown item 'explode'"],
    ['reset=soon', 'item reset takes no value'],
  ])(
    'answers a malformed header %j with the application’s 400 naming the problem',
    async (header, problem) => {
      const response = await caller.get('/customers', { 'X-Sandbox-Fault': header });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { Message: string };
      expect(body.Message).toContain('The X-Sandbox-Fault header');
      expect(body.Message).toContain(problem);
    },
  );

  it('answers a malformed header on Sage ID with an OAuth invalid_request', async () => {
    const response = await app.request('/id/.well-known/openid-configuration', {
      headers: { 'X-Sandbox-Fault': 'status=1' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('is ignored on the control API', async () => {
    const response = await admin(app, 'GET', '/faults', undefined, { 'X-Sandbox-Fault': 'status=503' });
    expect(response.status).toBe(200);
  });

  it.each([
    ['status=429;retry-after=2', { status: 429, retryAfter: 2, reset: false }],
    [' Status = 503 ; Latency = 10 ', { status: 503, latency: { min: 10, max: 10 }, reset: false }],
    ['reset', { reset: true }],
    ['status=502;reset', { status: 502, reset: true }],
    ['latency=5-9;', { latency: { min: 5, max: 9 }, reset: false }],
  ])('reads %j', (header, expected) => {
    expect(parseFaultHeader(header)).toEqual(expected);
  });

  describe('latency, on fake timers', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    });

    afterEach(() => {
      vi.useRealTimers();
    });

    it('delays the request with latency=300 and then lets it through', async () => {
      const response = await settlesAfter(
        caller.get('/customers?$top=1', { 'X-Sandbox-Fault': 'latency=300' }),
        300,
      );
      expect(response.status).toBe(200);
      const [entry] = await journal(app, '?limit=1');
      expect(entry?.latency_ms).toBe(300);
    });

    it('draws latency=100-200 from the range, repeatably for the same seed', async () => {
      const draws = async () => {
        const sandbox = sharedWorldSandbox();
        const c = await callerFor(sandbox, USERS.full);
        for (let i = 0; i < 3; i++) {
          const call = c.get('/sites', { 'X-Sandbox-Fault': 'latency=100-200' });
          await vi.advanceTimersByTimeAsync(200);
          await call;
        }
        return (await journal(sandbox, '?path=/sites')).map((e) => e.fault?.latency_ms);
      };
      const [first, second] = [await draws(), await draws()];
      expect(first).toEqual(second);
      expect(first).toHaveLength(3);
      for (const ms of first) {
        expect(ms).toBeGreaterThanOrEqual(100);
        expect(ms).toBeLessThanOrEqual(200);
      }
    });

    it('is recorded in the journal as the header fault', async () => {
      await settlesAfter(caller.get('/customers', { 'X-Sandbox-Fault': 'status=503;latency=20' }), 20);
      const [entry] = await journal(app, '?limit=1');
      expect(entry?.fault).toEqual({
        rules: ['header'],
        status: 503,
        latency_ms: 20,
        connection_reset: false,
      });
    });
  });
});

/**
 * Latency faults on a fake clock: a delayed call must still be pending a millisecond before its delay and answered
 * once the delay has passed, with no test waiting in real time. Timing on a real clock belongs in `npm run bench`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';
import { addFault, journal, settlesAfter } from './support.ts';

describe('latency faults', () => {
  let app: SandboxApp;
  let caller: Caller;

  beforeEach(async () => {
    app = sharedWorldSandbox();
    caller = await callerFor(app, USERS.full);
    // setTimeout (which the fault middleware sleeps on) and performance.now (which the journal times with).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('delays a matching call by a fixed latency_ms and then lets it through', async () => {
    await addFault(app, { path: '/sites', latency_ms: 250 });
    const slow = await settlesAfter(caller.get('/sites'), 250);
    expect(slow.status).toBe(200);
    const other = await settlesAfter(caller.get('/licence'), 0);
    expect(other.status).toBe(200);
    const [entry] = await journal(app, '?path=/sites');
    expect(entry?.latency_ms).toBe(250);
    expect(entry?.fault).toEqual({
      rules: ['fault-1'],
      status: null,
      latency_ms: 250,
      connection_reset: false,
    });
  });

  it('delays before answering with the rule’s status', async () => {
    await addFault(app, { status: 504, latency_ms: 200 });
    const response = await settlesAfter(caller.get('/customers'), 200);
    expect(response.status).toBe(504);
  });

  it('draws a random latency uniformly from min_ms..max_ms, the same draws for the same seed', async () => {
    const draws = async (seed: number) => {
      const sandbox = sharedWorldSandbox({ seed });
      await addFault(sandbox, { path: '/sites', latency: { min_ms: 10, max_ms: 60 } });
      const c = await callerFor(sandbox, USERS.full);
      for (let i = 0; i < 8; i++) {
        const call = c.get('/sites');
        await vi.advanceTimersByTimeAsync(60);
        await call;
      }
      const entries = (await journal(sandbox, '?path=/sites')).reverse();
      for (const entry of entries) expect(entry.latency_ms).toBeGreaterThanOrEqual(entry.fault!.latency_ms);
      return entries.map((e) => e.fault!.latency_ms);
    };
    const [a, b, c] = [await draws(200), await draws(200), await draws(7)];
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(1);
    for (const ms of [...a, ...c]) {
      expect(ms).toBeGreaterThanOrEqual(10);
      expect(ms).toBeLessThanOrEqual(60);
    }
  });

  it('delays concurrent calls independently rather than one after another', async () => {
    await addFault(app, { path: '/sites', latency_ms: 200 });
    const all = Promise.all(Array.from({ length: 5 }, () => caller.get('/sites')));
    const responses = await settlesAfter(all, 200, 5);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';
import { addFault, journal, timed } from './support.ts';

describe('latency faults', () => {
  let app: SandboxApp;
  let caller: Caller;

  beforeEach(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
  });

  it('delays a matching call by a fixed latency_ms and then lets it through', async () => {
    await addFault(app, { path: '/sites', latency_ms: 250 });
    const slow = await timed(() => caller.get('/sites'));
    expect(slow.value.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(245);
    const other = await timed(() => caller.get('/licence'));
    expect(other.ms).toBeLessThan(200);
    const [entry] = await journal(app, '?path=/sites');
    expect(entry?.latency_ms).toBeGreaterThanOrEqual(245);
    expect(entry?.fault).toEqual({
      rules: ['fault-1'],
      status: null,
      latency_ms: 250,
      connection_reset: false,
    });
  });

  it('delays before answering with the rule’s status', async () => {
    await addFault(app, { status: 504, latency_ms: 200 });
    const { value, ms } = await timed(() => caller.get('/customers'));
    expect(value.status).toBe(504);
    expect(ms).toBeGreaterThanOrEqual(195);
  });

  it('draws a random latency uniformly from min_ms..max_ms, the same draws for the same seed', async () => {
    const draws = async (seed: number) => {
      const sandbox = testSandbox({ seed });
      await addFault(sandbox, { path: '/sites', latency: { min_ms: 10, max_ms: 60 } });
      const c = await callerFor(sandbox, USERS.full);
      for (let i = 0; i < 8; i++) await c.get('/sites');
      const entries = (await journal(sandbox, '?path=/sites')).reverse();
      for (const entry of entries)
        expect(entry.latency_ms).toBeGreaterThanOrEqual(entry.fault!.latency_ms - 1);
      return entries.map((e) => e.fault!.latency_ms);
    };
    const [a, b, c] = await Promise.all([draws(200), draws(200), draws(7)]);
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
    const { ms } = await timed(() => Promise.all(Array.from({ length: 5 }, () => caller.get('/sites'))));
    expect(ms).toBeLessThan(600);
  });
});

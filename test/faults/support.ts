/** Helpers for the fault and journal tests: admin calls with JSON bodies, and reading the journal. */
import { expect, vi } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { JournalEntry } from '../../mock-server/journal/index.ts';

export async function admin(
  app: SandboxApp,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return app.request(`/admin${path}`, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Adds a fault rule and returns its id; fails the test when the rule is refused. */
export async function addFault(app: SandboxApp, rule: Record<string, unknown>): Promise<string> {
  const response = await admin(app, 'POST', '/faults', rule);
  if (response.status !== 201) throw new Error(`fault refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export async function journal(app: SandboxApp, query = ''): Promise<JournalEntry[]> {
  const response = await admin(app, 'GET', `/requests${query}`);
  if (response.status !== 200) throw new Error(`journal: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { requests: JournalEntry[] }).requests;
}

/**
 * Under `vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })`: waits until the call has
 * set its `timers` delays, checks it is still pending a millisecond before `ms` and answered once `ms` have
 * passed, and returns its value. A call that waits on a timer it should not have never settles, and the last
 * check fails.
 */
export async function settlesAfter<T>(call: Promise<T>, ms: number, timers = ms > 0 ? 1 : 0): Promise<T> {
  let settled = false;
  const watched = call.finally(() => {
    settled = true;
  });
  await turnsUntil(() => vi.getTimerCount() >= timers, `${timers} delay(s) set`);
  expect(vi.getTimerCount()).toBe(timers);
  if (ms > 0) {
    await vi.advanceTimersByTimeAsync(ms - 1);
    expect(settled, `answered before its ${ms} ms delay`).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
  }
  await turnsUntil(() => settled, `answered once its ${ms} ms delay had passed`);
  return watched;
}

/**
 * Lets the real event loop turn (setImmediate and Date are not faked) until `done`, for at most 10 s: a request may
 * wait on real work, such as a token signature checked on the thread pool, before it reaches its delay or after.
 * vi.waitFor would not do, as it advances fake timers while it polls.
 */
async function turnsUntil(done: () => boolean, what: string): Promise<void> {
  const giveUp = Date.now() + 10_000;
  while (!done() && Date.now() < giveUp) await new Promise((resolve) => setImmediate(resolve));
  expect(done(), what).toBe(true);
}

/** Helpers for the fault and journal tests: admin calls with JSON bodies, and reading the journal. */
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

/** Milliseconds an async call takes. */
export async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}

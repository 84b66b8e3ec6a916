/**
 * Every list the contract serves takes the OData options exactly as `/customers` does: `$top`, `$skip` with
 * `$orderby`, `$filter` on its key, `$select` and `$count`, checked against the list read whole. The cases come
 * from the contract's resource catalog, so a new list is covered as soon as it is described.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../contracts/index.ts';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

type Row = Record<string, unknown>;
const lists = loadCatalog().resources.filter((r) => r.list);

describe('OData on every list', () => {
  let caller: Caller;
  beforeAll(async () => {
    caller = await callerFor(testSandbox(), USERS.full);
  });

  it.each(lists.map((r) => [r.path, r.key] as const))('/%s', async (path, key) => {
    const all = await caller.json<Row[]>(`/${path}?$orderby=${key}&$top=5000`);
    expect(all.length, `${path} has records`).toBeGreaterThan(0);
    const keys = all.map((r) => r[key] as number | string);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    const top = await caller.json<Row[]>(`/${path}?$top=1`);
    expect(top).toHaveLength(1);
    const page = await caller.json<Row[]>(`/${path}?$orderby=${key} desc&$top=2&$skip=1`);
    expect(page.map((r) => r[key])).toEqual([...keys].reverse().slice(1, 3));

    const last = all.at(-1)!;
    const literal = typeof last[key] === 'string' ? `'${last[key]}'` : String(last[key]);
    const filtered = await caller.json<Row[]>(
      `/${path}?$filter=${encodeURIComponent(`${key} eq ${literal}`)}`,
    );
    expect(filtered).toEqual([last]);

    const selected = await caller.json<Row[]>(`/${path}?$orderby=${key}&$top=1&$select=${key}`);
    expect(selected).toEqual([{ [key]: keys[0] }]);

    const count = await caller.get(`/${path}?$count=true`);
    expect(await count.json()).toBe(all.length);

    const skipAlone = await caller.get(`/${path}?$skip=1`);
    expect(skipAlone.status).toBe(400);
  });
});

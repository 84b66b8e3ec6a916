/**
 * Every list the contract serves takes the OData options exactly as `/customers` does: `$top`, `$skip` with
 * `$orderby`, `$filter` on its key, `$select`, `$count` and `$metadata`, checked against the list read whole and
 * against the contract. The cases come from the contract's resource catalog, so a new list is covered as soon as it
 * is described.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createResponseValidator, loadCatalog, loadContract } from '../../contracts/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { TableName } from '../../mock-server/store/index.ts';
import { type Caller, callerFor, testSandbox, USERS, userOf } from '../support/sandbox.ts';

type Row = Record<string, unknown>;
const catalog = loadCatalog();
const lists = catalog.resources.filter((r) => r.list);
const validator = createResponseValidator(loadContract());

interface FieldMetadata {
  name: string;
  type: string;
  nullable: boolean;
  sortable: boolean;
  expandable: boolean;
  enum?: string[];
}
interface ListMetadata {
  name: string;
  key: string;
  fields: FieldMetadata[];
  default_order: { field: string; direction: string }[];
}

function valid(template: string, body: unknown): void {
  const result = validator.validateResponse('get', template, 200, body);
  if (!result.ok) throw new Error(`GET ${template} does not match the contract: ${result.errors}`);
}

/** The metadata type a served JSON value has. */
function jsonType(value: unknown): string[] {
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  if (typeof value === 'string') return ['string', 'date-time'];
  return [typeof value];
}

describe('OData on every list', () => {
  let caller: Caller;
  let app: SandboxApp;
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
  });

  /** The records of a parent no list serves (`/traceable_items/{id}/...`), read from the caller's company. */
  const unlistedRecords = (collection: string): Row[] => {
    const user = userOf(app, USERS.full);
    const company = [...app.sandbox.store.site(user.site_id)!.companies.values()][0]!;
    return [...company.table(collection as TableName).all()];
  };

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

    const counted = await caller.get(
      `/${path}?$count=true&$filter=${encodeURIComponent(`${key} eq ${literal}`)}`,
    );
    expect(await counted.json()).toBe(1);

    const skipAlone = await caller.get(`/${path}?$skip=1`);
    expect(skipAlone.status).toBe(400);
  });

  it.each(lists.map((r) => [r.path, r] as const))('/%s?$metadata', async (path, resource) => {
    const full = await caller.json<ListMetadata>(`/${path}?$metadata=true`);
    valid(`/${path}`, full);
    expect(full).toMatchObject({ name: resource.noun, key: resource.key });
    expect(full.default_order).toEqual(resource.defaultOrder ?? []);
    const names = full.fields.map((field) => field.name);
    expect(new Set(names).size).toBe(names.length);
    const expandable = full.fields.filter((field) => field.expandable).map((field) => field.name);
    expect(expandable.sort()).toEqual(
      [...Object.keys(resource.expand), ...Object.keys(resource.embedded)].sort(),
    );

    // Every field a record holds is described, with the type and nullability it is served with.
    const [record] = await caller.json<Row[]>(`/${path}?$top=1`);
    const described = new Map(full.fields.map((field) => [field.name, field]));
    for (const [name, value] of Object.entries(record!)) {
      const field = described.get(name);
      expect(field, `${path}.${name} is described`).toBeDefined();
      if (value === null) expect(field!.nullable, `${path}.${name} is nullable`).toBe(true);
      else if (typeof value === 'object' && !Array.isArray(value)) expect(field!.type).toBe('object');
      else expect(jsonType(value), `${path}.${name}`).toContain(field!.type);
      if (field!.enum !== undefined && value !== null) expect(field!.enum).toContain(value);
    }
    for (const field of full.fields) {
      if (!Object.hasOwn(resource.expand, field.name))
        expect(Object.hasOwn(record!, field.name), `${path}.${field.name} is served`).toBe(true);
    }
    const sortable = full.fields.find((field) => field.sortable && field.name !== resource.key);
    if (sortable) expect((await caller.get(`/${path}?$orderby=${sortable.name}&$top=1`)).status).toBe(200);
    const unsortable = full.fields.find((field) => !field.sortable && !field.expandable);
    if (unsortable) expect((await caller.get(`/${path}?$orderby=${unsortable.name}`)).status).toBe(400);

    const lean = await caller.json<ListMetadata>(`/${path}?$metadata=false`);
    valid(`/${path}`, lean);
    expect(lean.fields).toEqual(full.fields.filter((field) => !field.expandable));
  });

  it.each(catalog.nested.map((n) => [`/${n.parent}/{${n.param}}/${n.child}`, n] as const))(
    '%s takes $count and $metadata',
    async (_template, nested) => {
      const child = catalog.resource(nested.child);
      const children = await caller.json<Row[]>(`/${child.path}?$top=5000`).catch(() => undefined);
      const parents = catalog.resource(nested.parent).list
        ? await caller.json<Row[]>(`/${nested.parent}?$top=5000`)
        : unlistedRecords(nested.parent);
      // A parent with children where the child list can say so; else the first parent (its count may be 0).
      const parent =
        parents.find((p) => children?.some((c) => c[nested.foreignKey] === p.id) ?? false) ?? parents[0]!;
      const base = `/${nested.parent}/${String(parent.id)}/${nested.child}`;
      const owned = await caller.json<Row[]>(`${base}?$top=5000`);
      if (children !== undefined) expect(owned.length).toBeGreaterThan(0);
      expect(await caller.json<number>(`${base}?$count=true`)).toBe(owned.length);
      const metadata = await caller.json<ListMetadata>(`${base}?$metadata=true`);
      expect(metadata).toEqual(
        await caller.json<ListMetadata>(`/${child.path}?$metadata=true`).catch(() => metadata),
      );
      expect(metadata.name).toBe(child.noun);
    },
  );

  it.each([
    ['/customers?$metadata=yes', "The query option $metadata must be true or false, not 'yes'."],
    ['/customers?$metadata=', 'The query option $metadata has an empty value.'],
    ['/customers?$metadata=true&$metadata=false', 'The query option $metadata was given more than once.'],
    ['/customers?$count=maybe', "The query option $count must be true or false, not 'maybe'."],
  ])('answers %s with 400 and the documented body', async (path, message) => {
    const response = await caller.get(path);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ Message: message });
  });

  it.each(['/customers/{id}', '/customers/{id}/customer_contacts/{contact}', '/licence', '/current_user'])(
    'answers $metadata on the single object %s with 400: it describes lists',
    async (template) => {
      const [contact] = await caller.json<Row[]>('/customer_contacts?$top=1');
      const path = template
        .replace('{id}', String(contact!.customer_id))
        .replace('{contact}', String(contact!.id));
      expect((await caller.get(path)).status).toBe(200);
      const response = await caller.get(`${path}?$metadata=false`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        Message: 'The query option $metadata describes a list; ask for it on the list path.',
      });
    },
  );
});

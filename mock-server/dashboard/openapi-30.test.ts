import { describe, expect, it } from 'vitest';
import { loadContract } from '../../contracts/contract.ts';
import { BUSINESS_DATE_PATTERN } from '../../contracts/index.ts';
import { sharedWorldSandbox } from '../../test/support/sandbox.ts';
import { BUSINESS_DATE_EXAMPLE, NotExpressibleIn30, openApi30 } from './openapi-30.ts';

type Node = Record<string, unknown>;

/** Every object in `value`, with its JSON pointer. */
function* objects(value: unknown, where = '#'): Generator<[Node, string]> {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* objects(item, `${where}/${index}`);
  } else if (typeof value === 'object' && value !== null) {
    yield [value as Node, where];
    for (const [key, item] of Object.entries(value)) yield* objects(item, `${where}/${key}`);
  }
}

const contract = loadContract();
const rendition = openApi30(contract);

describe('the contract as OpenAPI 3.0', () => {
  it('is OpenAPI 3.0.3 with the same paths, operations, schemas, tags and servers', () => {
    expect(rendition.openapi).toBe('3.0.3');
    expect(Object.keys(rendition.paths as Node)).toEqual(Object.keys(contract.paths));
    const operations = (document: Node) =>
      Object.entries(document.paths as Record<string, Node>).flatMap(([path, item]) =>
        Object.keys(item).map((verb) => `${verb} ${path}`),
      );
    expect(operations(rendition)).toEqual(operations(contract as unknown as Node));
    const schemas = (document: Node) => Object.keys((document.components as { schemas: Node }).schemas);
    expect(schemas(rendition)).toEqual(schemas(contract as unknown as Node));
    expect(rendition.tags).toEqual(contract.tags);
    expect(rendition.servers).toEqual(contract.servers);
  });

  it('says "or null" as nullable: true, once for each type the contract gives with "null"', () => {
    const withNull = [...objects(contract)]
      .filter(([node]) => Array.isArray(node.type))
      .map(([, where]) => where);
    expect(withNull.length).toBeGreaterThan(100);
    const nullable = [...objects(rendition)].filter(([node]) => node.nullable === true);
    expect(nullable.map(([, where]) => where)).toEqual(withNull);
    for (const [node] of nullable) expect(typeof node.type).toBe('string');
  });

  it('keeps what the contract says beside a $ref by wrapping the reference in allOf', () => {
    const beside = [...objects(contract)].filter(
      ([node]) => typeof node.$ref === 'string' && Object.keys(node).length > 1,
    );
    expect(beside.length).toBeGreaterThan(10);
    const rendered = new Map([...objects(rendition)].map(([node, where]) => [where, node]));
    for (const [node, where] of beside) {
      const { $ref, ...rest } = node;
      expect(rendered.get(where), where).toEqual({ allOf: [{ $ref }], ...rest });
    }
  });

  it('has nothing only OpenAPI 3.1 can say left in it', () => {
    for (const [node, where] of objects(rendition)) {
      expect(Array.isArray(node.type), where).toBe(false);
      expect(node.type, where).not.toBe('null');
      if (typeof node.$ref === 'string') expect(Object.keys(node), where).toEqual(['$ref']);
    }
    const info = rendition.info as Node;
    expect(info.summary).toBeUndefined();
    expect(info.description).toContain(String((contract.info as Node).summary));
    expect(info.license).toEqual({ name: 'MIT' });
  });

  it('gives every business date a real date as its example, one its pattern accepts', () => {
    const dates = [...objects(rendition)].filter(([node]) => node.format === 'date-time-local');
    expect(dates.length).toBeGreaterThan(100);
    for (const [node, where] of dates) expect(node.example, where).toBe(BUSINESS_DATE_EXAMPLE);
    expect(BUSINESS_DATE_EXAMPLE).toMatch(new RegExp(BUSINESS_DATE_PATTERN));
    expect(new Date(`${BUSINESS_DATE_EXAMPLE}Z`).toISOString()).toBe(`${BUSINESS_DATE_EXAMPLE}.000Z`);
  });

  it('is served at /docs/openapi.json, and under a tenant at its own /docs/openapi.json', async () => {
    const app = sharedWorldSandbox();
    const response = await app.request('/docs/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual(rendition);
    const created = await app.request('/admin/tenants', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"scale":"small"}',
    });
    const { id } = (await created.json()) as { id: string };
    expect(await (await app.request(`/tenants/${id}/docs/openapi.json`)).json()).toEqual(rendition);
  });
});

describe('openApi30', () => {
  const document = (schemas: Node, rest: Node = {}) => ({
    openapi: '3.1.0',
    info: { title: 'T', version: '1' },
    paths: {},
    components: { schemas },
    ...rest,
  });
  const schemaOf = (schema: unknown) =>
    (openApi30(document({ S: schema as Node })).components as { schemas: Node }).schemas.S;

  it('turns a type or null into the type, nullable, inside properties, items and allOf alike', () => {
    expect(schemaOf({ type: ['integer', 'null'], format: 'int64' })).toEqual({
      type: 'integer',
      format: 'int64',
      nullable: true,
    });
    expect(
      schemaOf({
        type: 'object',
        properties: { a: { type: 'array', items: { type: ['string', 'null'] } } },
        allOf: [{ type: ['number', 'null'] }],
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'array', items: { type: 'string', nullable: true } } },
      allOf: [{ type: 'number', nullable: true }],
    });
  });

  it('treats the names under properties as names: a property called const or if is not a keyword', () => {
    expect(
      schemaOf({ type: 'object', properties: { const: { type: 'string' }, if: { type: 'string' } } }),
    ).toEqual({
      type: 'object',
      properties: { const: { type: 'string' }, if: { type: 'string' } },
    });
  });

  it('drops what sits beside a $ref outside a schema, which OpenAPI 3.0 would ignore', () => {
    const paths = {
      '/a': {
        get: { parameters: [{ $ref: '#/components/parameters/P', description: 'beside' }], responses: {} },
      },
    };
    expect(openApi30(document({}, { paths })).paths).toEqual({
      '/a': { get: { parameters: [{ $ref: '#/components/parameters/P' }], responses: {} } },
    });
  });

  it.each([
    [{ const: 1 }, '#/components/schemas/S uses const'],
    [
      { type: 'object', properties: { p: { prefixItems: [] } } },
      '#/components/schemas/S/properties/p uses prefixItems',
    ],
    [{ type: ['string', 'integer'] }, 'has the type ["string","integer"]'],
    [{ type: 'null' }, 'has the type "null"'],
    [{ examples: ['a'] }, 'uses examples'],
  ])('refuses %j, naming where: %s', (schema, message) => {
    expect(() => schemaOf(schema)).toThrow(NotExpressibleIn30);
    expect(() => schemaOf(schema)).toThrow(message);
  });

  it('refuses webhooks, which OpenAPI 3.0 has not', () => {
    expect(() => openApi30(document({}, { webhooks: {} }))).toThrow('OpenAPI 3.0 has no webhooks');
  });
});

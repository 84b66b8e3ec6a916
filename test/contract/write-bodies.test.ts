/**
 * A write body as a strict OpenAPI reader of the contract builds it: read-only properties are left out of requests
 * (OpenAPI 3.1 leaves readOnly to JSON Schema, where it means "not sent in a request"), so no create body may
 * require a field it marks read-only, and what is left must be a body the sandbox takes. A department's and a
 * cost centre's `code` is written by their POST and read-only on their PUT.
 */
import { describe, expect, it } from 'vitest';
import { loadContract, objectSchema, requestSchemaName, type SchemaObject } from '../../contracts/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { api, type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

const contract = loadContract();

async function send(
  app: SandboxApp,
  caller: Caller,
  method: string,
  path: string,
  body: unknown,
): Promise<Response> {
  return app.request(api(path), {
    method,
    headers: { ...caller.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The object schema a write body (or each item of an array body) is checked against, merged. */
function bodyObject(schema: SchemaObject): SchemaObject {
  const merged = objectSchema(contract, schema);
  return merged.type === 'array' && merged.items ? objectSchema(contract, merged.items) : merged;
}

const creates = Object.entries(contract.paths).flatMap(([path, item]) => {
  const schema = item.post?.requestBody?.content?.['application/json']?.schema;
  return schema ? [[`POST ${path}`, schema] as const] : [];
});

describe('write bodies as a strict OpenAPI reader sees them', () => {
  it('has create bodies to check', () => {
    expect(creates.length).toBeGreaterThan(20);
  });

  it.each(creates)('%s requires no read-only field', (_operation, schema) => {
    const body = bodyObject(schema);
    const readOnlyRequired = (body.required ?? []).filter(
      (name) => body.properties?.[name]?.readOnly === true,
    );
    expect(readOnlyRequired).toEqual([]);
  });

  it.each([
    ['/departments', 'DepartmentCreateRequest', 'DepartmentFields'],
    ['/cost_centres', 'CostCentreCreateRequest', 'CostCentreFields'],
  ])('%s: code is written by the POST (%s) and read-only on the PUT (%s)', async (path, post, put) => {
    expect(requestSchemaName(contract, path, 'post')).toBe(post);
    expect(requestSchemaName(contract, `${path}/{Id}`, 'put')).toBe(put);
    expect(bodyObject({ $ref: `#/components/schemas/${post}` }).properties?.code?.readOnly).toBeUndefined();
    expect(bodyObject({ $ref: `#/components/schemas/${put}` }).properties?.code?.readOnly).toBe(true);

    const app = testSandbox();
    const caller = await callerFor(app, USERS.full);
    const created = await send(app, caller, 'POST', path, { code: 'ZQ1', name: 'Written by POST' });
    expect(created.status).toBe(200);
    const record = (await created.json()) as { id: number; code: string };
    expect(record.code).toBe('ZQ1');
    const renamed = await send(app, caller, 'PUT', `${path}/${record.id}`, { code: 'ZQ2' });
    expect(renamed.status).toBe(400);
    expect(await renamed.json()).toEqual({ Message: 'The field code is read-only.' });
  });
});

/**
 * The zod emitter's handling of a string's pattern and of a record over a fields schema (`allOf` with one `$ref`
 * plus a required list), and its refusal of every other use of `allOf`, so a shape it cannot express fails the
 * generation instead of being emitted wrongly.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { OpenApiDocument, SchemaObject } from '../openapi-document.ts';
import { emitZod } from './zod-emitter.ts';

const FIELDS: SchemaObject = {
  type: 'object',
  properties: { reference: { type: 'string', maxLength: 8 }, name: { type: 'string' } },
};

function documentWith(schemas: Record<string, SchemaObject>): OpenApiDocument {
  return { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } };
}

/** The emitted module's schemas, evaluated with zod (its only TypeScript, `as const`, taken out). */
function evaluate(doc: OpenApiDocument): Record<string, z.ZodType> {
  const body = emitZod(doc)
    .replace("import { z } from 'zod';", '')
    .replaceAll('export const ', 'const ')
    .replace('} as const;', '};');
  return new Function('z', `${body}\nreturn schemas;`)(z) as Record<string, z.ZodType>;
}

describe('the zod emitter and allOf', () => {
  const record: SchemaObject = {
    type: 'object',
    allOf: [{ $ref: '#/components/schemas/CustomerFields' }],
    required: ['name', 'reference'],
  };

  it('emits a record as its fields schema with the record’s required fields required', () => {
    const text = emitZod(documentWith({ Customer: record, CustomerFields: FIELDS }));
    expect(text).toContain(
      'export const Customer = CustomerFields.required({ name: true, reference: true });',
    );
    // The fields schema is declared first, whatever the order in the contract.
    expect(text.indexOf('export const CustomerFields')).toBeLessThan(text.indexOf('export const Customer ='));
  });

  it('validates as the two schemas say: the fields require nothing, the record its list', () => {
    const schemas = evaluate(documentWith({ Customer: record, CustomerFields: FIELDS }));
    expect(schemas.CustomerFields?.safeParse({ name: 'Acme' }).success).toBe(true);
    expect(schemas.Customer?.safeParse({ name: 'Acme' }).success).toBe(false);
    expect(schemas.Customer?.safeParse({ name: 'Acme', reference: 'ACME01' }).success).toBe(true);
    expect(schemas.Customer?.safeParse({ name: 'Acme', reference: 'TOO LONG REF' }).success).toBe(false);
  });

  it.each<[string, SchemaObject]>([
    [
      'two parts',
      { type: 'object', allOf: [{ $ref: '#/components/schemas/CustomerFields' }, { type: 'object' }] },
    ],
    ['an inline part', { type: 'object', allOf: [FIELDS] }],
    [
      'properties beside allOf',
      {
        type: 'object',
        allOf: [{ $ref: '#/components/schemas/CustomerFields' }],
        properties: { extra: { type: 'string' } },
      },
    ],
    ['a type other than object', { type: 'array', allOf: [{ $ref: '#/components/schemas/CustomerFields' }] }],
  ])('refuses allOf with %s', (_case, schema) => {
    expect(() => emitZod(documentWith({ Customer: schema, CustomerFields: FIELDS }))).toThrow(/allOf/);
  });
});

describe('the zod emitter and enum', () => {
  const withStatus = (status: SchemaObject) =>
    documentWith({ Account: { type: 'object', properties: { status } } });

  it('emits a string enum as z.enum, nullable when null is allowed', () => {
    const text = emitZod(
      withStatus({ type: ['string', 'null'], maxLength: 20, enum: ['Active', "O'Hidden"] }),
    );
    expect(text).toContain("status: z.enum(['Active', 'O\\'Hidden']).nullable().exactOptional(),");
    const schemas = evaluate(withStatus({ type: 'string', enum: ['Active', 'Hidden'] }));
    expect(schemas.Account?.safeParse({ status: 'Hidden' }).success).toBe(true);
    expect(schemas.Account?.safeParse({ status: 'Dormant' }).success).toBe(false);
  });

  it.each<[string, SchemaObject]>([
    ['members that are not strings', { type: 'integer', enum: [1, 2] }],
    ['no members', { type: 'string', enum: [] }],
  ])('refuses an enum of %s', (_case, status) => {
    expect(() => emitZod(withStatus(status))).toThrow(/enum/);
  });
});

describe('the zod emitter and pattern', () => {
  it("holds a string to its pattern, as the contract's business dates are", () => {
    const schemas = evaluate(
      documentWith({
        Entry: {
          type: 'object',
          properties: {
            transaction_date: {
              type: ['string', 'null'],
              format: 'date-time-local',
              pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$',
            },
          },
        },
      }),
    );
    expect(schemas.Entry?.safeParse({ transaction_date: '2024-10-01T00:00:00' }).success).toBe(true);
    expect(schemas.Entry?.safeParse({ transaction_date: null }).success).toBe(true);
    expect(schemas.Entry?.safeParse({ transaction_date: '2024-10-01T00:00:00Z' }).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { buildSageDigest, formatSageDigest, parseSageDigest, SageDigestError } from './sage-digest-format.ts';

/** A Sage file with each shape the digest must hold: nested objects, arrays of objects and of $refs, odd values. */
const sageFile = {
  openapi: '3.0.1',
  paths: {
    '/widgets': { get: { responses: {} }, post: { 'x-sage-professional-only': true, responses: {} } },
    '/widgets/{Id}': { 'x-sage-professional-only': true, get: { responses: {} } },
  },
  components: {
    schemas: {
      widget: {
        type: 'object',
        description: 'prose the digest leaves out',
        required: ['code'],
        properties: {
          id: { type: 'integer', format: 'int64', readOnly: true },
          code: { type: 'string', maxLength: 8, description: 'more prose' },
          price: { type: 'number', format: 'decimal 2dp', default: 0 },
          note: { type: 'string', default: 'Default Nominal Department from Customer.' },
          active: { type: 'boolean', readOnly: false, 'x-sage-professional-only': true },
          owner: { type: 'object', properties: {} },
          holder: { type: 'object' },
          parts: {
            type: 'array',
            items: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
          },
          links: { type: 'array', items: { $ref: '#/components/schemas/widget' } },
          address: { type: 'object', properties: { postcode: { type: 'string', maxLength: 10 } } },
          constructor: { type: 'string' },
        },
      },
      gadget: { type: 'object', properties: { id: { type: 'integer' } } },
    },
  },
};

const files = [{ file: 'things.json', bytes: Buffer.from(JSON.stringify(sageFile)) }];
const named = new Map([['things.json', new Set(['widget'])]]);

describe('the digest of Sage files', () => {
  it('reads back exactly the facts it was written from, and keeps only the schemas named', () => {
    const digest = buildSageDigest(files, named);
    const text = formatSageDigest(digest);
    expect(parseSageDigest(text, 'test')).toEqual(digest);
    expect([...(digest.get('things.json')?.schemas.keys() ?? [])]).toEqual(['widget']);
    expect(text).not.toContain('prose');
    expect(text).toContain('  parts[].id integer');
  });

  it('marks an operation Professional-only when it or its path is', () => {
    const operations = buildSageDigest(files, named).get('things.json')?.operations;
    expect(operations).toEqual([
      { method: 'get', path: '/widgets', professionalOnly: false },
      { method: 'post', path: '/widgets', professionalOnly: true },
      { method: 'get', path: '/widgets/{Id}', professionalOnly: true },
    ]);
  });

  it('records each file with the SHA-256 of its bytes', () => {
    const text = formatSageDigest(buildSageDigest(files, named));
    expect(text).toMatch(/^file things\.json sha256=[0-9a-f]{64}$/m);
  });

  const FILE = `file a.json sha256=${'0'.repeat(64)}\n`;
  it.each([
    ['a field before any schema', `${FILE}  id integer\n`, 'test:2'],
    ['a field under a missing parent', `${FILE}schema s object\n  a.b integer\n`, 'test:3'],
    ['an unknown key', `${FILE}schema s object colour=red\n`, 'test:2'],
    ['a bad hash', 'file a.json sha256=xyz\n', 'test:1'],
  ])('refuses %s, naming the line', (_, text, line) => {
    expect(() => parseSageDigest(text, 'test')).toThrow(SageDigestError);
    expect(() => parseSageDigest(text, 'test')).toThrow(line);
  });
});

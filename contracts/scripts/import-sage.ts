/**
 * Adds a read resource of Sage's published OpenAPI files to the contract: its record schema under the field rules
 * (`contracts/README.md`) and its list and `{Id}` paths with the sandbox's parameters and responses. An authoring
 * aid, run once per resource; the contract it writes stays the source of truth, to be edited by hand after.
 *
 *   npm run import:sage -- <sage file.json> <path> <noun> [--module sales] [--tag Sales] [--no-id]
 *     [--view-of customers]   (records projected live from another collection; see contracts/README.md)
 *
 * e.g. `npm run import:sage -- ../shared/reference/sage200-openapi/financials.json /currency_iso_codes
 * 'currency ISO code' --tag Financials`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Document, isMap, isScalar, isSeq, type Node, parseDocument, visit } from 'yaml';
import { contractPath } from '../contract.ts';
import { BUSINESS_DATE_FORMAT, BUSINESS_DATE_PATTERN, INSTANT_FIELDS } from '../openapi-document.ts';
import type { SageSchema } from './sage-digest-format.ts';

interface SageFile {
  paths: Record<
    string,
    { get?: { responses: Record<string, { content?: Record<string, { schema: SageSchema }> }> } }
  >;
  components: { schemas: Record<string, SageSchema> };
}

const NON_NULL_DATE_TIMES = new Set(['date_time_created', 'date_time_updated']);

const pascal = (name: string): string =>
  name
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** Why the field rules leave a property out, or undefined when they keep it. */
function excluded(name: string, sage: SageSchema): boolean {
  if (sage['x-sage-professional-only'] === true) return true;
  if (/^analysis_code_([6-9]|1\d|20)$/.test(name)) return true;
  if (sage.type === undefined) return true;
  if (sage.type === 'object' && Object.keys(sage.properties ?? {}).length === 0) return true;
  return sage.type === 'array' && sage.items?.$ref !== undefined;
}

/** Sage's object schema as the contract's: kept fields, Sage's facts, and the nullability rule. */
function convert(sage: SageSchema): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required = (sage.required ?? []).filter((name) => {
    const property = sage.properties?.[name];
    return property !== undefined && !excluded(name, property);
  });
  for (const [name, property] of Object.entries(sage.properties ?? {})) {
    if (excluded(name, property)) continue;
    let out: Record<string, unknown>;
    if (property.type === 'object') out = { type: 'object', ...convert(property) };
    else if (property.type === 'array')
      out = { type: 'array', items: { type: 'object', ...convert(property.items ?? {}) } };
    else {
      const nullable =
        (property.format === 'date-time' && !NON_NULL_DATE_TIMES.has(name)) ||
        (property.type === 'integer' &&
          property.format === 'int64' &&
          name.endsWith('_id') &&
          !required.includes(name));
      out = { type: nullable ? [property.type, 'null'] : property.type };
      // Sage's files call every date date-time; its business dates come without an offset (contracts/README.md).
      if (property.format === 'date-time' && !INSTANT_FIELDS.has(name)) {
        out.format = BUSINESS_DATE_FORMAT;
        out.pattern = BUSINESS_DATE_PATTERN;
      } else if (property.format !== undefined) out.format = property.format;
      if (property.maxLength !== undefined) out.maxLength = property.maxLength;
      if (property.default !== undefined) out.default = property.default;
    }
    if (property.readOnly) out.readOnly = true;
    properties[name] = out;
  }
  return { ...(required.length > 0 ? { required } : {}), properties };
}

/** `an` before a vowel sound as English writes it (`an order`, `a unit`, `a user`), else `a`. */
const article = (noun: string): string => (/^([aeio]|u(?!s|ni))/i.test(noun) ? 'an' : 'a');
const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

const commonParameters = ['XSite', 'XCompany', 'SubscriptionKey'];
const listParameters = ['Filter', 'Select', 'Expand', 'OrderBy', 'Top', 'Skip', 'Count', 'Metadata'];
const errorResponses = (codes: string[]): Record<string, unknown> =>
  Object.fromEntries(codes.map((code) => [code, { $ref: `#/components/responses/${responseName(code)}` }]));
function responseName(code: string): string {
  return (
    {
      '400': 'BadRequest',
      '401': 'Unauthorized',
      '403': 'Forbidden',
      '404': 'NotFound',
      '429': 'TooManyRequests',
    }[code] ?? code
  );
}
const refs = (names: string[]): { $ref: string }[] =>
  names.map((name) => ({ $ref: `#/components/parameters/${name}` }));

function addResource(
  contract: Document,
  sageFile: string,
  sage: SageFile,
  apiPath: string,
  options: {
    noun: string;
    module: string | undefined;
    tag: string;
    byId: boolean;
    viewOf: string | undefined;
  },
): string {
  const response = sage.paths[apiPath]?.get?.responses['200']?.content?.['application/json']?.schema;
  const ref = response?.items?.$ref ?? response?.$ref;
  const sageName = ref?.split('/').pop();
  const sageSchema = sageName === undefined ? undefined : sage.components.schemas[sageName];
  if (!sageName || !sageSchema) throw new Error(`${sageFile} has no list GET at ${apiPath}`);
  const name = pascal(sageName);
  const plural = apiPath.slice(1).replaceAll('_', ' ');
  if (contract.hasIn(['components', 'schemas', name]))
    throw new Error(`the contract already has a schema ${name}`);
  const operation = pascal(apiPath.slice(1));
  // Sage's own ids: `GetSystemSettings` lists, `GetSystemSetting` reads one, where the record's name is plural too.
  const recordOperation = name === operation ? name.replace(/s$/, '') : name;
  // A module's paths answer 403 to a role without it (mock-server/resources/route-helpers.ts requireModule).
  const errors = options.module ? ['400', '401', '403', '404', '429'] : ['400', '401', '404', '429'];
  const resource: Record<string, unknown> = { noun: options.noun };
  if (options.module) resource.module = options.module;
  if (options.viewOf) resource['view-of'] = options.viewOf;
  contract.setIn(
    ['paths', apiPath],
    compactNode(contract, {
      'x-sandbox-resource': resource,
      get: {
        operationId: `get${operation}`,
        tags: [options.tag],
        summary: `List ${plural}`,
        description: `Lists the company's ${plural}.`,
        security: [{ bearerAuth: [] }],
        parameters: refs([...commonParameters, ...listParameters]),
        responses: {
          '200': { $ref: `#/components/responses/${name}List` },
          ...errorResponses(errors),
        },
      },
    }),
  );
  if (options.byId) {
    contract.setIn(
      ['paths', `${apiPath}/{Id}`],
      compactNode(contract, {
        get: {
          operationId: `get${recordOperation}`,
          tags: [options.tag],
          summary: `Get ${article(options.noun)} ${options.noun}`,
          description: `Returns ${article(options.noun)} ${options.noun} by its record id.`,
          security: [{ bearerAuth: [] }],
          parameters: refs(['Id', ...commonParameters, 'Select', 'Expand']),
          responses: {
            '200': {
              description: 'The record.',
              content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
            },
            ...errorResponses(errors),
          },
        },
      }),
    );
  }
  contract.setIn(
    ['components', 'responses', `${name}List`],
    compactNode(contract, {
      description: 'The matching records as a bare array, or their number when `$count=true`.',
      content: {
        'application/json': {
          schema: {
            oneOf: [
              { type: 'array', items: { $ref: `#/components/schemas/${name}` } },
              { type: 'integer', minimum: 0 },
              { $ref: '#/components/schemas/ODataMetadata' },
            ],
          },
        },
      },
    }),
  );
  contract.setIn(
    ['components', 'schemas', name],
    compactNode(contract, {
      type: 'object',
      description: `${capitalise(article(options.noun))} ${options.noun}.`,
      'x-sage-schema': sageName,
      'x-sage-file': path.basename(sageFile),
      ...convert(sageSchema),
    }),
  );
  return name;
}

/**
 * A new node for the contract, with small maps of scalars on one line as the contract writes them
 * (`{type: integer, format: int64, readOnly: true}`).
 */
function compactNode(contract: Document, value: unknown): Node {
  const node = contract.createNode(value);
  visit(node, {
    Map(_, map) {
      const simple = map.items.every(
        ({ value }) => isScalar(value) || (isSeq(value) && value.items.every((item) => isScalar(item))),
      );
      if (simple && map.items.length <= 5) map.flow = true;
    },
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
    Pair(_, pair) {
      // Single quotes keep a pattern's backslashes as written.
      if (isScalar(pair.key) && pair.key.value === 'pattern' && isScalar(pair.value))
        pair.value.type = 'QUOTE_SINGLE';
    },
  });
  return node;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      module: { type: 'string' },
      tag: { type: 'string' },
      'no-id': { type: 'boolean' },
      'view-of': { type: 'string' },
    },
  });
  const [sageFile, apiPath, noun] = positionals;
  if (!sageFile || !apiPath?.startsWith('/') || !noun) {
    console.error(
      'usage: npm run import:sage -- <sage file.json> </path> <noun> [--module m] [--tag T] [--no-id] [--view-of c]',
    );
    process.exit(2);
  }
  const sage = JSON.parse(readFileSync(sageFile, 'utf8')) as SageFile;
  const contract = parseDocument(readFileSync(contractPath, 'utf8'));
  if (!isMap(contract.contents)) throw new Error('the contract is not a mapping');
  const name = addResource(contract, sageFile, sage, apiPath, {
    noun,
    module: values.module,
    tag: values.tag ?? 'General',
    byId: values['no-id'] !== true && sage.paths[`${apiPath}/{Id}`]?.get !== undefined,
    viewOf: values['view-of'],
  });
  writeFileSync(
    contractPath,
    contract.toString({ lineWidth: 120, minContentWidth: 0, flowCollectionPadding: false }),
  );
  console.log(
    `added ${apiPath} (schema ${name}); ${values['view-of'] ? '' : 'now write its seed, '}then npm run gen:contracts`,
  );
}

main();

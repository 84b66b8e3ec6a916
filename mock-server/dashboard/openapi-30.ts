/**
 * The contract as OpenAPI 3.0.3, for Swagger UI at `/docs` only. Swagger UI reads a 3.1 document through a much
 * slower resolver (swagger-api/swagger-ui#10748): on the 2-core machine the page took 7 s to show the contract's
 * title and 10 s to open one operation, against 2.8 s and 3.4 s for the same contract as 3.0. `/openapi.json`
 * stays the 3.1 contract; this rendition says the same things in 3.0's words:
 * - `type: [X, "null"]` becomes `type: X` with `nullable: true`;
 * - a `$ref` with keywords beside it (3.0 ignores them) becomes `allOf: [{$ref}]` with those keywords;
 * - `info.summary` joins the description, and `license.identifier`, which 3.0 lacks, is dropped;
 * - a business date (`date-time-local`) gets a real date as its example: Swagger UI would make one up from the
 *   pattern, and `2039-53-96T10:30:77` matches it.
 * A keyword only 3.1 has is refused, so a contract that starts using one cannot be shown wrongly.
 */

import { BUSINESS_DATE_FORMAT } from '../../contracts/index.ts';

/** The example a business date shows in Swagger UI: midnight, as Sage serves a date with no time. */
export const BUSINESS_DATE_EXAMPLE = '2026-10-01T00:00:00';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Schema keywords of OpenAPI 3.1 (JSON Schema 2020-12) that 3.0 has no way to say. */
const ONLY_IN_31 = [
  'const',
  'examples',
  'prefixItems',
  '$defs',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'minContains',
  'maxContains',
  'propertyNames',
  'patternProperties',
  'contentEncoding',
  'contentMediaType',
  '$anchor',
  '$dynamicRef',
];

/** Schema keywords whose value is a schema, a list of schemas, or (`properties`) schemas by name. */
const ONE_SCHEMA = ['items', 'not', 'additionalProperties'];
const SCHEMA_LISTS = ['allOf', 'oneOf', 'anyOf'];

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const eachValue = (map: Json | undefined, each: (value: Json, key: string) => Json): Json | undefined =>
  isObject(map)
    ? Object.fromEntries(Object.entries(map).map(([key, value]) => [key, each(value, key)]))
    : map;

/** Thrown when the contract says something the 3.0 rendition cannot. */
export class NotExpressibleIn30 extends Error {}

/** A schema in 3.0's words. */
function schemaIn30(schema: Json, where: string): Json {
  if (!isObject(schema)) return schema;
  const refused = ONLY_IN_31.find((keyword) => keyword in schema);
  if (refused) throw new NotExpressibleIn30(`${where} uses ${refused}, which OpenAPI 3.0 cannot say`);
  const out: JsonObject = { ...schema };
  for (const key of ONE_SCHEMA) if (isObject(out[key])) out[key] = schemaIn30(out[key], `${where}/${key}`);
  for (const key of SCHEMA_LISTS) {
    const list = out[key];
    if (Array.isArray(list))
      out[key] = list.map((item, index) => schemaIn30(item, `${where}/${key}/${index}`));
  }
  if (out.properties !== undefined) {
    out.properties = eachValue(out.properties, (property, name) =>
      schemaIn30(property, `${where}/properties/${name}`),
    )!;
  }
  if (out.format === BUSINESS_DATE_FORMAT && out.example === undefined) out.example = BUSINESS_DATE_EXAMPLE;
  if (Array.isArray(out.type)) {
    const types = out.type;
    const named = types.filter((type) => type !== 'null');
    if (named.length !== 1 || types.length > 2) {
      throw new NotExpressibleIn30(
        `${where} has the type ${JSON.stringify(types)}, which OpenAPI 3.0 cannot say`,
      );
    }
    out.type = named[0]!;
    if (types.includes('null')) out.nullable = true;
  } else if (out.type === 'null') {
    throw new NotExpressibleIn30(`${where} has the type "null", which OpenAPI 3.0 cannot say`);
  }
  if (typeof out.$ref === 'string' && Object.keys(out).length > 1) {
    const { $ref, ...beside } = out;
    return { allOf: [{ $ref }], ...beside };
  }
  return out;
}

/**
 * Any other part of the document: the schemas in it (under `schema`, or `components.schemas`) in 3.0's words. A
 * reference's `summary` and `description` beside `$ref`, which 3.0 would ignore, are dropped.
 */
function partIn30(node: Json, where: string): Json {
  if (Array.isArray(node)) return node.map((item, index) => partIn30(item, `${where}/${index}`));
  if (!isObject(node)) return node;
  if (typeof node.$ref === 'string') return { $ref: node.$ref };
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    const here = `${where}/${key}`;
    out[key] =
      key.startsWith('x-') || key === 'example' || key === 'examples'
        ? value
        : key === 'schema'
          ? schemaIn30(value, here)
          : key === 'schemas' && where === '#/components'
            ? eachValue(value, (schema, name) => schemaIn30(schema, `${here}/${name}`))!
            : partIn30(value, here);
  }
  return out;
}

/** The 3.0.3 rendition of `contract` (an OpenAPI 3.1 document); throws NotExpressibleIn30 naming what it cannot say. */
export function openApi30(contract: object): JsonObject {
  const { openapi: _version, info, webhooks, jsonSchemaDialect, ...rest } = contract as JsonObject;
  if (webhooks !== undefined) throw new NotExpressibleIn30('#/webhooks: OpenAPI 3.0 has no webhooks');
  if (jsonSchemaDialect !== undefined)
    throw new NotExpressibleIn30('#/jsonSchemaDialect is OpenAPI 3.1 only');
  const { summary, description, license, ...about } = isObject(info) ? info : {};
  const words = [summary, description].filter((part) => typeof part === 'string');
  return {
    openapi: '3.0.3',
    info: {
      ...about,
      ...(words.length > 0 ? { description: words.join('\n\n') } : {}),
      ...(isObject(license) ? { license: (({ identifier: _identifier, ...kept }) => kept)(license) } : {}),
    },
    ...(partIn30(rest, '#') as JsonObject),
  };
}

const rendered = new WeakMap<object, string>();

/** `openApi30(contract)` as JSON text, made once per contract. */
export function openApi30Json(contract: object): string {
  let text = rendered.get(contract);
  if (text === undefined) {
    text = JSON.stringify(openApi30(contract));
    rendered.set(contract, text);
  }
  return text;
}

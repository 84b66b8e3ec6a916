/**
 * The parts of an OpenAPI 3.1 document this project reads, and a parser that refuses anything else.
 * Spec: https://spec.openapis.org/oas/v3.1.0
 */
import { createRequire } from 'node:module';

/**
 * The YAML parser, loaded on first use: the sandbox reads the compiled contract (contracts/contract.ts) and so
 * need not load it at all.
 */
function yaml(): typeof import('yaml') {
  return createRequire(import.meta.url)('yaml') as typeof import('yaml');
}

/** Vendor extensions (`x-sage-schema`, `x-sage-expandable`, ...), allowed on every object. */
export type Extensions = { readonly [key: `x-${string}`]: unknown };

/** A JSON Schema 2020-12 object as OpenAPI 3.1 uses it, limited to the keywords the contract uses. */
export type SchemaObject = Extensions & {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly description?: string;
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly readOnly?: boolean;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
  readonly properties?: { readonly [name: string]: SchemaObject };
  readonly items?: SchemaObject;
  readonly oneOf?: readonly SchemaObject[];
  readonly allOf?: readonly SchemaObject[];
};

export interface ReferenceObject {
  readonly $ref: string;
}

export interface MediaTypeObject {
  readonly schema?: SchemaObject;
}

export type ResponseObject = Extensions & {
  readonly description: string;
  readonly headers?: {
    readonly [name: string]: { readonly description?: string; readonly schema?: SchemaObject };
  };
  readonly content?: { readonly [mediaType: string]: MediaTypeObject };
};

export type ParameterObject = Extensions & {
  readonly name: string;
  readonly in: 'query' | 'header' | 'path' | 'cookie';
  readonly required?: boolean;
  readonly description?: string;
  readonly schema?: SchemaObject;
};

export type RequestBodyObject = Extensions & {
  readonly description?: string;
  readonly required?: boolean;
  readonly content?: { readonly [mediaType: string]: MediaTypeObject };
};

export type OperationObject = Extensions & {
  readonly operationId?: string;
  readonly tags?: readonly string[];
  readonly summary?: string;
  readonly description?: string;
  readonly security?: readonly { readonly [scheme: string]: readonly string[] }[];
  readonly parameters?: readonly (ParameterObject | ReferenceObject)[];
  readonly requestBody?: RequestBodyObject;
  readonly responses: { readonly [status: string]: ResponseObject | ReferenceObject };
};

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type PathItemObject = Extensions & {
  readonly [method in HttpMethod]?: OperationObject;
} & { readonly parameters?: readonly (ParameterObject | ReferenceObject)[] };

export type OpenApiDocument = Extensions & {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
  readonly paths: { readonly [path: string]: PathItemObject };
  readonly components: {
    readonly schemas: { readonly [name: string]: SchemaObject };
    readonly parameters?: { readonly [name: string]: ParameterObject };
    readonly responses?: { readonly [name: string]: ResponseObject };
    readonly securitySchemes?: { readonly [name: string]: unknown };
  };
};

/** Thrown when the contract is not a usable OpenAPI 3.1 document; the message says where. */
export class ContractError extends Error {
  override name = 'ContractError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local JSON pointer (`#/components/schemas/Customer`) inside `root`; undefined if it leads nowhere. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const tokens = ref === '#' ? [] : ref.slice(2).split('/');
  let node: unknown = root;
  for (const raw of tokens) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(node)) {
      node = /^\d+$/.test(token) ? node[Number(token)] : undefined;
    } else if (isRecord(node) && Object.hasOwn(node, token)) {
      node = node[token];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * `schema` as one object schema: a `$ref` followed, and `allOf` parts merged (their properties and every required
 * list), so a record such as `Customer` (`allOf: [CustomerFields]` plus Sage's required list) reads like a plain
 * object schema. The outer schema's own keywords win over its parts'. Throws on a `$ref` that leads nowhere.
 */
export function objectSchema(doc: OpenApiDocument, schema: SchemaObject): SchemaObject {
  if (schema.$ref !== undefined) {
    const target = resolvePointer(doc, schema.$ref);
    if (!isRecord(target)) throw new ContractError(`${schema.$ref} does not resolve`);
    return objectSchema(doc, target as SchemaObject);
  }
  if (schema.allOf === undefined) return schema;
  const { allOf, properties: own, required: ownRequired, ...outer } = schema;
  const parts = allOf.map((part) => objectSchema(doc, part));
  const properties: Record<string, SchemaObject> = {};
  const required = new Set<string>();
  let merged: SchemaObject = {};
  for (const { properties: partProperties, required: partRequired, ...rest } of parts) {
    Object.assign(properties, partProperties);
    for (const name of partRequired ?? []) required.add(name);
    merged = { ...merged, ...rest };
  }
  Object.assign(properties, own);
  for (const name of ownRequired ?? []) required.add(name);
  return { ...merged, ...outer, properties, ...(required.size > 0 ? { required: [...required] } : {}) };
}

const SCHEMA_REF = '#/components/schemas/';

/**
 * The component schema a write's JSON body is declared as (`DepartmentCreateRequest` for `POST /departments`), or
 * undefined when the operation declares none or an inline one.
 */
export function requestSchemaName(
  doc: OpenApiDocument,
  path: string,
  method: HttpMethod,
): string | undefined {
  const ref = doc.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema?.$ref;
  return ref?.startsWith(SCHEMA_REF) ? ref.slice(SCHEMA_REF.length) : undefined;
}

/**
 * The format of Sage's business dates (`2024-10-01T00:00:00`): a date and time with no UTC offset, as Sage serves
 * them. JSON Schema's `date-time` requires an offset, so the contract names its own format and gives each such
 * field BUSINESS_DATE_PATTERN, which validators that do not know the format check all the same.
 */
export const BUSINESS_DATE_FORMAT = 'date-time-local';

/** The text of a business date, as the contract's `pattern` spells it. */
export const BUSINESS_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$';

/**
 * Date fields that are instants (UTC, ending in `Z`: `format: date-time`); every other date is a business date. The
 * views name their joined records' timestamps (`transaction_date_time_updated`), which Sage's files mark "(UTC)".
 */
export const INSTANT_FIELDS: ReadonlySet<string> = new Set([
  'date_time_created',
  'date_time_updated',
  'last_logon_date_time',
  'transaction_date_time_updated',
  'period_value_date_time_updated',
  'year_value_date_time_updated',
  'customer_location_date_time_created',
  'customer_location_date_time_updated',
  'supplier_location_date_time_created',
  'supplier_location_date_time_updated',
]);

/** Whether a schema holds a date: a business date (`date-time-local`) or an instant (`date-time`). */
export function isDateSchema(schema: { readonly format?: string | undefined }): boolean {
  return schema.format === BUSINESS_DATE_FORMAT || schema.format === 'date-time';
}

/** The JSON types a schema allows (`type: [string, 'null']` gives both). */
export function schemaTypes(schema: SchemaObject): string[] {
  return typeof schema.type === 'string' ? [schema.type] : [...(schema.type ?? [])];
}

/**
 * A navigation property (`$expand` target, marked `x-sage-expandable`): served only when asked for and never
 * written through a body. A `$ref` alone does not make one: a property may refer to a value schema.
 */
export function isNavigation(schema: SchemaObject): boolean {
  return schema['x-sage-expandable'] === true;
}

/** Every `$ref` in the document, with the JSON pointer of the object that holds it. */
export function collectRefs(root: unknown): { at: string; ref: string }[] {
  const found: { at: string; ref: string }[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        walk(item, `${at}/${index}`);
      });
    } else if (isRecord(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') found.push({ at, ref: value });
        else walk(value, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
      }
    }
  };
  walk(root, '#');
  return found;
}

/**
 * Parses the contract's YAML text and checks that it is an OpenAPI 3.1.0 document whose every `$ref` resolves.
 * `source` names the file in error messages.
 */
export function parseContract(text: string, source: string): OpenApiDocument {
  let parsed: unknown;
  try {
    parsed = yaml().parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new ContractError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new ContractError(`${source}: the document must be a YAML mapping`);
  if (parsed.openapi !== '3.1.0') {
    throw new ContractError(`${source}: openapi must be '3.1.0', found ${JSON.stringify(parsed.openapi)}`);
  }
  const info = parsed.info;
  if (!isRecord(info) || typeof info.title !== 'string' || typeof info.version !== 'string') {
    throw new ContractError(`${source}: info.title and info.version are required strings`);
  }
  if (!isRecord(parsed.paths)) throw new ContractError(`${source}: paths must be a mapping`);
  if (!isRecord(parsed.components) || !isRecord(parsed.components.schemas)) {
    throw new ContractError(`${source}: components.schemas must be a mapping`);
  }
  const broken = collectRefs(parsed).filter(({ ref }) => resolvePointer(parsed, ref) === undefined);
  if (broken.length > 0) {
    const lines = broken.map(({ at, ref }) => `  ${ref} (at ${at})`).join('\n');
    throw new ContractError(`${source}: ${broken.length} $ref(s) do not resolve:\n${lines}`);
  }
  return parsed as OpenApiDocument;
}

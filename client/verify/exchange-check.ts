/**
 * Holds one answer of the real service to the contract, field by field: the status, the `Content-Type`, the body
 * through the contract's own Ajv setup (`contracts/response-validator.ts`: types, null-ness, maxLength, enum
 * members, date formats, required fields), and what Ajv does not see because Sage's schemas are open: fields the
 * contract does not declare, and declared fields the answer leaves out.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import {
  isNavigation,
  type OpenApiDocument,
  objectSchema,
  type ResponseObject,
  type ResponseValidator,
  resolvePointer,
  type SchemaObject,
  schemaTypes,
} from '../../contracts/index.ts';

/** One thing an answer does that the contract does not say, at one field. */
export interface Finding {
  /** The collection the path serves: its last literal segment (`customer_contacts`). */
  resource: string;
  /** The field, dotted, `[]` for array items (`lines[].quantity`); `(status)`, `(body)` or `(header X)` otherwise. */
  field: string;
  problem: string;
}

/** The collection a path template serves: its last literal segment. */
export function resourceOf(template: string): string {
  const literal = template.split('/').filter((part) => part !== '' && !part.startsWith('{'));
  return literal.at(-1) ?? template;
}

/** An Ajv instance path (`/0/lines/3/quantity`) as a field (`lines[].quantity`), leading list indexes dropped. */
export function fieldOf(instancePath: string, isList: boolean): string {
  const tokens = instancePath
    .split('/')
    .slice(1)
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (isList && tokens.length > 0 && /^\d+$/.test(tokens[0]!)) tokens.shift();
  let field = '';
  for (const token of tokens) {
    if (/^\d+$/.test(token)) field += '[]';
    else field += field === '' ? token : `.${token}`;
  }
  return field;
}

function join(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

function valueAt(body: unknown, instancePath: string): unknown {
  return instancePath === '' ? body : resolvePointer(body, `#${instancePath}`);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 60 ? `a string of ${value.length}` : JSON.stringify(value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** Ajv's error as a finding's field and problem; the value is named only where it is a code, never free text. */
function fromAjv(error: ErrorObject, body: unknown, isList: boolean): { field: string; problem: string } {
  const field = fieldOf(error.instancePath, isList);
  const value = valueAt(body, error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: join(field, String(params.missingProperty)), problem: 'missing' };
    case 'enum':
      return { field, problem: `${describeValue(value)} is not a member of the contract's enum` };
    case 'maxLength':
      return {
        field,
        problem: `longer than the contract's maxLength ${String(params.limit)} (${typeof value === 'string' ? value.length : '?'})`,
      };
    case 'type':
      return { field, problem: `${describeValue(value)} where the contract has ${String(params.type)}` };
    case 'format':
    case 'pattern':
      return {
        field,
        problem: `not in the contract's ${error.keyword === 'format' ? `format ${String(params.format)}` : 'date pattern'}`,
      };
    default:
      return { field, problem: error.message ?? error.keyword };
  }
}

/** The branch of a `oneOf`/`anyOf` (or the schema itself) that describes a value of this JSON type. */
function branchFor(doc: OpenApiDocument, schema: SchemaObject, value: unknown): SchemaObject | undefined {
  const resolved =
    schema.$ref === undefined && schema.allOf === undefined ? schema : objectSchema(doc, schema);
  const options = resolved.oneOf ?? (resolved as { anyOf?: readonly SchemaObject[] }).anyOf;
  if (options === undefined) return resolved;
  const wanted = Array.isArray(value) ? 'array' : typeof value === 'object' && value !== null ? 'object' : '';
  for (const option of options) {
    const branch = branchFor(doc, option, value);
    if (branch === undefined) continue;
    const types = schemaTypes(branch);
    if (types.includes(wanted) || (wanted === 'object' && branch.properties !== undefined)) return branch;
  }
  return undefined;
}

/** Fields under `value` the schema does not declare, and declared fields (not navigation ones) left out. */
function openFields(
  doc: OpenApiDocument,
  schema: SchemaObject,
  value: unknown,
  field: string,
  found: Map<string, string>,
): void {
  if (value === null || typeof value !== 'object') return;
  const branch = branchFor(doc, schema, value);
  if (branch === undefined) return;
  if (Array.isArray(value)) {
    if (branch.items === undefined) return;
    // A list's records are the resource's own fields; arrays inside a record are `field[]`.
    for (const item of value) openFields(doc, branch.items, item, field === '' ? '' : `${field}[]`, found);
    return;
  }
  const properties = branch.properties;
  if (properties === undefined) return;
  const record = value as Record<string, unknown>;
  for (const [name, child] of Object.entries(record)) {
    const declared = properties[name];
    if (declared === undefined) found.set(join(field, name), 'not in the contract');
    else openFields(doc, declared, child, join(field, name), found);
  }
  for (const [name, declared] of Object.entries(properties)) {
    if (!Object.hasOwn(record, name) && !isNavigation(declared)) found.set(join(field, name), 'missing');
  }
}

/** The 200 schema of `GET template`, or undefined. */
function okSchema(doc: OpenApiDocument, template: string, status: number): SchemaObject | undefined {
  const operation = doc.paths[template]?.get;
  let response: unknown = operation?.responses[String(status)];
  while (response !== null && typeof response === 'object' && '$ref' in response) {
    response = resolvePointer(doc, String((response as { $ref: string }).$ref));
  }
  return (response as ResponseObject | undefined)?.content?.['application/json']?.schema;
}

/** The JSON body's text as parsed, or the raw text when it is not JSON; undefined when empty. */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface Exchange {
  method: string;
  template: string;
  status: number;
  contentType: string | null;
  /** The body's text. */
  text: string;
}

/** What in one answer differs from the contract. */
export function checkExchange(
  doc: OpenApiDocument,
  validator: ResponseValidator,
  exchange: Exchange,
): Finding[] {
  const resource = resourceOf(exchange.template);
  const body = parseBody(exchange.text);
  const findings = new Map<string, string>();
  const result = validator.validateResponse(exchange.method, exchange.template, exchange.status, body);
  if (!result.ok) {
    if (result.issues === undefined) {
      const field = /status \d+ is not declared/.test(result.errors) ? '(status)' : '(body)';
      findings.set(field, result.errors.replace(/^\S+ \S+:? ?/, ''));
    } else {
      const isList = Array.isArray(body);
      for (const issue of result.issues) {
        // oneOf/anyOf restate their branches' errors as one line each; the branch errors name the field.
        if (issue.keyword === 'oneOf' || issue.keyword === 'anyOf' || issue.keyword === 'if') continue;
        const { field, problem } = fromAjv(issue, body, isList);
        findings.set(`${field}\0${problem}`, problem);
      }
    }
  }
  if (body !== undefined && exchange.status < 300) {
    const type = exchange.contentType ?? '';
    if (!/^application\/json\b/i.test(type)) {
      findings.set('(header Content-Type)\0', `${type || 'none'} where the contract has application/json`);
    }
    const schema = okSchema(doc, exchange.template, exchange.status);
    if (schema !== undefined) {
      const open = new Map<string, string>();
      openFields(doc, schema, body, '', open);
      for (const [field, problem] of open) findings.set(`${field}\0${problem}`, problem);
    }
  }
  return [...findings].map(([key, problem]) => ({
    resource,
    field: key.includes('\0') ? key.slice(0, key.indexOf('\0')) : key,
    problem,
  }));
}

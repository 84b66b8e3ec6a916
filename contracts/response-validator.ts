/**
 * Checks a response (status and parsed JSON body) against the contract, for tests that hold the sandbox to it.
 * JSON Schema 2020-12 via Ajv: https://ajv.js.org/json-schema.html#draft-2020-12
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { createContractSchemas, escapePointer } from './contract-schemas.ts';
import {
  HTTP_METHODS,
  type HttpMethod,
  type OpenApiDocument,
  type ResponseObject,
  resolvePointer,
  type SchemaObject,
} from './openapi-document.ts';

/** `issues`: Ajv's errors for a body that fails its schema (empty when the status or the body's presence is wrong). */
export type ResponseValidation =
  | { ok: true }
  | { ok: false; errors: string; issues?: readonly ErrorObject[] };

export interface ResponseValidator {
  /**
   * Validates `body` (the parsed JSON, or `undefined`/`''` for an empty body) as the response `status` of
   * `method pathTemplate`. A response declared without content must have an empty body.
   */
  validateResponse(method: string, pathTemplate: string, status: number, body: unknown): ResponseValidation;
  /**
   * The contract's path template (`/customers/{Id}`) that a concrete path (`/customers/42?$select=id`, with or
   * without the server prefix `/uk/sage200/accounts/v1`) falls under for `method`; literal segments win over
   * parameters. Undefined when no path of the contract matches.
   */
  matchPath(method: string, concretePath: string): string | undefined;
}

const DOCUMENT_ID = 'urn:sage200-sandbox:contract';
const JSON_MEDIA_TYPE = 'application/json';

function isHttpMethod(method: string): method is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(method);
}

/** The JSON type names (`'array'`, `'integer'`, ...) a value satisfies. */
function jsonTypes(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

function declaredTypes(schema: SchemaObject): string[] {
  if (schema.$ref !== undefined) return ['object'];
  return typeof schema.type === 'string' ? [schema.type] : [...(schema.type ?? [])];
}

/** Builds a validator for `doc` (normally `loadContract()`); schemas compile on first use and are cached. */
export function createResponseValidator(doc: OpenApiDocument): ResponseValidator {
  const { ajv, compile } = createContractSchemas(doc, {
    id: DOCUMENT_ID,
    validatedFormats: ['int32', 'int64'],
  });

  function validateResponse(
    method: string,
    pathTemplate: string,
    status: number,
    body: unknown,
  ): ResponseValidation {
    const verb = method.toLowerCase();
    const label = `${method.toUpperCase()} ${pathTemplate}`;
    const operation = isHttpMethod(verb) ? doc.paths[pathTemplate]?.[verb] : undefined;
    if (!operation) return { ok: false, errors: `${label} is not in the contract` };

    const key = [String(status), `${String(status).charAt(0)}XX`, 'default'].find((k) =>
      Object.hasOwn(operation.responses, k),
    );
    if (key === undefined) {
      const declared = Object.keys(operation.responses).join(', ');
      return { ok: false, errors: `${label}: status ${status} is not declared (declared: ${declared})` };
    }
    let pointer = `/paths/${escapePointer(pathTemplate)}/${verb}/responses/${key}`;
    let response = operation.responses[key];
    while (response && '$ref' in response && typeof response.$ref === 'string') {
      pointer = response.$ref.slice(1);
      response = resolvePointer(doc, response.$ref) as ResponseObject | undefined;
    }
    if (!response) return { ok: false, errors: `${label}: response ${key} does not resolve` };

    const content = (response as ResponseObject).content;
    if (!content) {
      if (body === undefined || body === '') return { ok: true };
      return { ok: false, errors: `${label}: status ${status} is declared without a body, but one was sent` };
    }
    const schema = content[JSON_MEDIA_TYPE]?.schema;
    if (!schema)
      return { ok: false, errors: `${label}: status ${status} declares no ${JSON_MEDIA_TYPE} schema` };
    if (body === undefined || body === '') {
      return { ok: false, errors: `${label}: status ${status} must have a JSON body, but it was empty` };
    }
    let schemaPointer = `${pointer}/content/${escapePointer(JSON_MEDIA_TYPE)}/schema`;
    // For a oneOf whose branches differ by JSON type (records or a $count), validate against the branch the
    // body's type selects: its errors name the actual problem instead of "must match one schema in oneOf".
    if (schema.oneOf) {
      const types = jsonTypes(body);
      const branches = schema.oneOf.flatMap((option, index) =>
        declaredTypes(option).some((type) => types.includes(type)) ? [index] : [],
      );
      if (branches.length === 1) schemaPointer += `/oneOf/${branches[0]}`;
    }
    const validate = compile(schemaPointer);
    if (validate(body)) return { ok: true };
    const errors = ajv.errorsText(validate.errors, { dataVar: 'body', separator: '\n' });
    return { ok: false, errors: `${label} ${status}:\n${errors}`, issues: validate.errors ?? [] };
  }

  const serverPrefix = (doc.servers?.[0]?.url ?? '').replace(/\/$/, '');
  const templates = Object.keys(doc.paths).map((template) => ({ template, segments: template.split('/') }));

  function matchPath(method: string, concretePath: string): string | undefined {
    const verb = method.toLowerCase();
    if (!isHttpMethod(verb)) return undefined;
    let path = concretePath.replace(/[?#].*$/, '');
    if (serverPrefix.startsWith('/') && (path === serverPrefix || path.startsWith(`${serverPrefix}/`))) {
      path = path.slice(serverPrefix.length);
    }
    if (path.length > 1) path = path.replace(/\/$/, '');
    const segments = path.split('/');
    let best: { template: string; literals: number } | undefined;
    for (const { template, segments: pattern } of templates) {
      if (pattern.length !== segments.length || !doc.paths[template]?.[verb]) continue;
      let literals = 0;
      const matches = pattern.every((part, index) => {
        const actual = segments[index] ?? '';
        if (/^\{[^}]+\}$/.test(part)) return actual.length > 0;
        literals += 1;
        return part === actual;
      });
      if (matches && (!best || literals > best.literals)) best = { template, literals };
    }
    return best?.template;
  }

  return { validateResponse, matchPath };
}

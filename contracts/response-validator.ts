/**
 * Checks a response (status and parsed JSON body) against the contract, for tests that hold the sandbox to it.
 * JSON Schema 2020-12 via Ajv: https://ajv.js.org/json-schema.html#draft-2020-12
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import {
  HTTP_METHODS,
  type HttpMethod,
  type OpenApiDocument,
  type ResponseObject,
  resolvePointer,
  type SchemaObject,
} from './openapi-document.ts';

export type ResponseValidation = { ok: true } | { ok: false; errors: string };

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

function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isHttpMethod(method: string): method is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(method);
}

/** Names of `x-` extensions used anywhere under `node`, so Ajv's strict mode accepts them as annotations. */
function extensionKeywords(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) extensionKeywords(item, found);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-')) found.add(key);
      extensionKeywords(value, found);
    }
  }
  return found;
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
  // strictRequired off: a record such as `Customer` lists Sage's required fields next to `allOf: [CustomerFields]`,
  // which holds the properties; Ajv's strict mode wants them declared beside the list.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  const formats = ajvFormats.default;
  // Validated: int32, int64 (number ranges) and date-time. Sage's business dates can lack a UTC offset
  // (`2024-01-31T00:00:00`), so date-time means RFC 3339 with the offset optional.
  formats(ajv, ['int32', 'int64']);
  ajv.addFormat('date-time', formats.get('iso-date-time'));
  // Sage's own formats ('decimal 2dp', 'int16', ...) and uuid only document a value here.
  const knownFormats = new Set(['int32', 'int64', 'date-time']);
  const schemaFormats = new Set<string>();
  const collectFormats = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collectFormats);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'format' && typeof value === 'string') schemaFormats.add(value);
        else collectFormats(value);
      }
    }
  };
  collectFormats(doc.components);
  collectFormats(doc.paths);
  for (const format of schemaFormats) if (!knownFormats.has(format)) ajv.addFormat(format, true);
  ajv.addVocabulary([...extensionKeywords(doc.components), ...extensionKeywords(doc.paths)]);
  // The document itself is registered as one schema so that its `#/components/...` refs resolve as written;
  // `paths` and `components` are only containers to Ajv.
  ajv.addVocabulary(['paths', 'components']);
  ajv.addSchema({ $id: DOCUMENT_ID, paths: doc.paths, components: doc.components });

  const compiled = new Map<string, ValidateFunction>();
  const compile = (pointer: string): ValidateFunction => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  };

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
    return { ok: false, errors: `${label} ${status}:\n${errors}` };
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

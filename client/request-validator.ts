/**
 * Holds a client's outgoing requests to the contract: the path and method exist, every declared parameter
 * (path, query, header) is present when required and valid against its schema, no undeclared query option is
 * sent, the bearer token is there, and the JSON body matches the operation's requestBody schema. Wrap the fetch
 * a client uses with `contractCheckingFetch` in CI to prove every request it sends is one Sage documents.
 * OpenAPI 3.1 parameter and request body objects: https://spec.openapis.org/oas/v3.1.0#parameter-object
 */
import {
  createContractSchemas,
  createResponseValidator,
  escapePointer,
  loadContract,
  type OpenApiDocument,
  type ParameterObject,
  resolvePointer,
  type SchemaObject,
} from '../contracts/index.ts';
import type { FetchFunction } from './oauth.ts';

export interface RequestCheck {
  ok: boolean;
  method: string;
  /** The request's path and query, relative to the API base. */
  path: string;
  /** The contract's template the request falls under, e.g. `/customers/{Id}`. */
  template: string | undefined;
  errors: string[];
}

export interface RequestValidator {
  /** Checks a request to the API; requests outside the API base path (Sage ID's) are `ok` and unchecked. */
  validateRequest(request: Request): Promise<RequestCheck>;
}

const DOCUMENT_ID = 'urn:sage200-sandbox:contract:requests';

/** A query, path or header string as the JSON value its schema's type expects, so the schema can judge it. */
function coerce(value: string, schema: SchemaObject | undefined): unknown {
  const types = typeof schema?.type === 'string' ? [schema.type] : [...(schema?.type ?? [])];
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

interface ResolvedParameter {
  parameter: ParameterObject;
  pointer: string;
}

export function createRequestValidator(doc: OpenApiDocument = loadContract()): RequestValidator {
  const { ajv, compile } = createContractSchemas(doc, {
    id: DOCUMENT_ID,
    validatedFormats: ['int32', 'int64', 'uuid'],
    annotations: ['example', 'discriminator'],
  });
  const check = (pointer: string, value: unknown, label: string, errors: string[]): void => {
    const validate = compile(pointer);
    if (!validate(value)) errors.push(ajv.errorsText(validate.errors, { dataVar: label }));
  };

  const { matchPath } = createResponseValidator(doc);
  const serverPrefix = (doc.servers?.[0]?.url ?? '').replace(/\/$/, '');

  function parametersOf(template: string, method: string): ResolvedParameter[] {
    const base = `/paths/${escapePointer(template)}`;
    const item = doc.paths[template];
    const operation = item?.[method as 'get'];
    const resolved: ResolvedParameter[] = [];
    const add = (list: readonly unknown[] | undefined, at: string) => {
      (list ?? []).forEach((entry, index) => {
        const ref = (entry as { $ref?: string }).$ref;
        const parameter = (ref ? resolvePointer(doc, ref) : entry) as ParameterObject;
        const pointer = ref ? `${ref.slice(1)}/schema` : `${at}/${index}/schema`;
        const existing = resolved.findIndex(
          (r) => r.parameter.name === parameter.name && r.parameter.in === parameter.in,
        );
        if (existing >= 0) resolved.splice(existing, 1);
        resolved.push({ parameter, pointer });
      });
    };
    add(item?.parameters, `${base}/parameters`);
    add(operation?.parameters, `${base}/${method}/parameters`);
    return resolved;
  }

  async function validateRequest(request: Request): Promise<RequestCheck> {
    const url = new URL(request.url);
    const method = request.method.toLowerCase();
    const relative = url.pathname.startsWith(serverPrefix)
      ? url.pathname.slice(serverPrefix.length)
      : undefined;
    const shown = `${relative ?? url.pathname}${url.search ? decodeURIComponent(url.search) : ''}`;
    if (relative === undefined)
      return { ok: true, method: request.method, path: shown, template: undefined, errors: [] };
    const errors: string[] = [];
    const template = matchPath(method, url.pathname);
    if (template === undefined) {
      return {
        ok: false,
        method: request.method,
        path: shown,
        template,
        errors: [`${request.method} ${relative} is not in the contract`],
      };
    }
    const operation = doc.paths[template]?.[method as 'get'];
    const parameters = parametersOf(template, method);
    const segments = relative.replace(/\/$/, '').split('/');
    const templateSegments = template.split('/');

    for (const { parameter, pointer } of parameters) {
      let raw: string | null = null;
      if (parameter.in === 'path') {
        const index = templateSegments.indexOf(`{${parameter.name}}`);
        raw = index >= 0 ? decodeURIComponent(segments[index] ?? '') : null;
      } else if (parameter.in === 'query') {
        const values = url.searchParams.getAll(parameter.name);
        if (values.length > 1) errors.push(`query option ${parameter.name} is sent ${values.length} times`);
        raw = values[0] ?? null;
      } else if (parameter.in === 'header') {
        raw = request.headers.get(parameter.name);
      }
      if (raw === null) {
        if (parameter.required)
          errors.push(`required ${parameter.in} parameter ${parameter.name} is missing`);
        continue;
      }
      check(pointer, coerce(raw, parameter.schema), `${parameter.in}.${parameter.name}`, errors);
    }
    const declaredQuery = new Set(
      parameters.filter((p) => p.parameter.in === 'query').map((p) => p.parameter.name),
    );
    for (const name of new Set(url.searchParams.keys())) {
      if (!declaredQuery.has(name))
        errors.push(`query option ${name} is not declared for ${request.method} ${template}`);
    }
    if ((operation?.security ?? []).some((requirement) => 'bearerAuth' in requirement)) {
      if (!/^Bearer \S+$/.test(request.headers.get('Authorization') ?? '')) {
        errors.push('the Authorization header is not a Bearer token');
      }
    }

    const text = request.body ? await request.clone().text() : '';
    const requestBody = (operation as { requestBody?: { $ref?: string; required?: boolean } } | undefined)
      ?.requestBody;
    if (requestBody === undefined) {
      if (text !== '') errors.push(`${request.method} ${template} takes no body, but one was sent`);
    } else {
      const bodyPointer = requestBody.$ref
        ? requestBody.$ref.slice(1)
        : `/paths/${escapePointer(template)}/${method}/requestBody`;
      const declared = (requestBody.$ref ? resolvePointer(doc, requestBody.$ref) : requestBody) as {
        required?: boolean;
        content?: Record<string, { schema?: unknown }>;
      };
      if (text === '') {
        if (declared.required) errors.push(`${request.method} ${template} requires a JSON body`);
      } else if (!/^application\/json\b/i.test(request.headers.get('Content-Type') ?? '')) {
        errors.push(
          `the body is sent as ${request.headers.get('Content-Type') ?? 'no type'}, not application/json`,
        );
      } else if (!declared.content?.['application/json']?.schema) {
        errors.push(`${request.method} ${template} declares no application/json body schema`);
      } else {
        let body: unknown;
        try {
          body = JSON.parse(text);
          check(`${bodyPointer}/content/application~1json/schema`, body, 'body', errors);
        } catch {
          errors.push('the body is not valid JSON');
        }
      }
    }
    return { ok: errors.length === 0, method: request.method, path: shown, template, errors };
  }

  return { validateRequest };
}

export interface ContractCheckingOptions {
  validator?: RequestValidator;
  /** Called with every check (passing or not). */
  onCheck?: (check: RequestCheck) => void;
  /** Refuse to send a request that breaks the contract: throw instead. Default false (record only). */
  strict?: boolean;
}

/** A fetch that checks each request against the contract before passing it on. */
export function contractCheckingFetch(
  inner: FetchFunction,
  options: ContractCheckingOptions = {},
): FetchFunction {
  const validator = options.validator ?? createRequestValidator();
  return async (request) => {
    const result = await validator.validateRequest(request);
    options.onCheck?.(result);
    if (!result.ok && options.strict) {
      throw new Error(`${result.method} ${result.path} breaks the contract:\n${result.errors.join('\n')}`);
    }
    return inner(request);
  };
}

/**
 * The contract's schemas in one strict Ajv instance, shared by the response and request validators.
 * JSON Schema 2020-12 via Ajv: https://ajv.js.org/json-schema.html#draft-2020-12
 */
import { createRequire } from 'node:module';
import type { Ajv2020, Format, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type ajvFormats from 'ajv-formats';
import { withEnumMembers } from './catalog.ts';
import { BUSINESS_DATE_FORMAT, BUSINESS_DATE_PATTERN, type OpenApiDocument } from './openapi-document.ts';

export interface ContractSchemaOptions {
  /** The `$id` the document is registered under. */
  id: string;
  /**
   * Formats Ajv checks besides the dates (`date-time`, RFC 3339 with its offset, and the business dates'
   * `date-time-local`); every other format in the document only documents a value.
   */
  validatedFormats: readonly ('int32' | 'int64' | 'uuid')[];
  /** Keywords accepted as annotations besides `x-` extensions (e.g. `example` on parameters). */
  annotations?: readonly string[];
  /**
   * How to check a format the document uses, when the default will not do (undefined: the default). Wins over
   * `validatedFormats` and the dates.
   */
  format?: (name: string) => Format | undefined;
  /** Ajv options besides the shared ones: with `verbose`, errors carry the failing value and its schema. */
  ajvOptions?: Pick<Options, 'verbose'>;
}

export interface ContractSchemas {
  ajv: Ajv2020;
  /** The validator for the schema at a JSON pointer into the document (`/components/schemas/Customer`); cached. */
  compile(pointer: string): ValidateFunction;
}

/** A JSON pointer reference token: https://www.rfc-editor.org/rfc/rfc6901#section-3 */
export function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Every `format` value used anywhere under `node`. */
function formatsUsed(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) formatsUsed(item, found);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') found.add(value);
      else formatsUsed(value, found);
    }
  }
  return found;
}

/** Keywords used anywhere under `node` that JSON Schema does not define, so strict Ajv accepts them. */
function annotationKeywords(node: unknown, extra: ReadonlySet<string>, found: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) annotationKeywords(item, extra, found);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-') || extra.has(key)) found.add(key);
      annotationKeywords(value, extra, found);
    }
  }
  return found;
}

// Ajv is loaded when a validator is first made (the first write, a verify run), not when the sandbox starts.
const load = createRequire(import.meta.url);
const ajvLibrary = () => load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
const formatsLibrary = () => load('ajv-formats') as typeof ajvFormats;

/** Registers `doc` with a strict Ajv 2020 instance; schemas compile on first use and are cached. */
export function createContractSchemas(doc: OpenApiDocument, options: ContractSchemaOptions): ContractSchemas {
  // strictRequired off: a record such as `Customer` lists Sage's required fields next to `allOf: [CustomerFields]`,
  // which holds the properties; Ajv's strict mode wants them declared beside the list.
  const ajv = new (ajvLibrary().Ajv2020)({
    ...options.ajvOptions,
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  const formats = formatsLibrary().default;
  // date-time exactly as JSON Schema defines it (an offset required): the contract keeps it for instants and
  // declares business dates, which have none, as date-time-local.
  formats(ajv, ['date-time', ...options.validatedFormats]);
  const businessDate = new RegExp(BUSINESS_DATE_PATTERN);
  const isoDateTime = formats.get('iso-date-time') as { validate: (text: string) => boolean };
  ajv.addFormat(BUSINESS_DATE_FORMAT, {
    type: 'string',
    validate: (text) => businessDate.test(text) && isoDateTime.validate(text),
  });
  // Sage's own formats ('decimal 2dp', 'int16', ...) only document a value here.
  const known = new Set<string>([...options.validatedFormats, 'date-time', BUSINESS_DATE_FORMAT]);
  const used = formatsUsed(doc.paths, formatsUsed(doc.components, new Set()));
  for (const name of used) {
    const own = options.format?.(name);
    if (own !== undefined) ajv.addFormat(name, own);
    else if (!known.has(name)) ajv.addFormat(name, true);
  }
  const extra = new Set(options.annotations ?? []);
  ajv.addVocabulary([
    ...annotationKeywords(doc.paths, extra, annotationKeywords(doc.components, extra, new Set())),
  ]);
  // The document itself is registered as one schema so that its `#/components/...` refs resolve as written;
  // `paths` and `components` are only containers to Ajv.
  ajv.addVocabulary(['paths', 'components']);
  const checked = withEnumMembers(doc);
  ajv.addSchema({ $id: options.id, paths: checked.paths, components: checked.components });

  const compiled = new Map<string, ValidateFunction>();
  const compile = (pointer: string): ValidateFunction => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${options.id}#${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  };
  return { ajv, compile };
}

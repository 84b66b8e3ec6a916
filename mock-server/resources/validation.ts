/**
 * Request bodies checked against the contract's record schemas the way Sage's ASP.NET Web API reports them: the
 * first problem found is a 400 whose message names the field (wording assumed: DataAnnotations' "The field X must
 * be a string with a maximum length of N.", "The X field is required.", Json.NET's "Error converting value ...").
 * First error only: https://www.realnetintegrations.com/api-questions/sage-200-api-http-response-codes/.
 */
import type { SchemaObject } from '../../contracts/index.ts';
import { SageApiError } from '../errors.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';

/** Sage enum fields whose names are known (Sage's defaults and field text); any other value is a 400. */
export const WRITABLE_ENUMS: Readonly<Record<string, readonly string[]>> = {
  account_status_type: ['AccountStatusActive', 'AccountStatusHidden'],
  line_type: ['EnumLineTypeStandard', 'EnumLineTypeFreeText', 'EnumLineTypeCharge', 'EnumLineTypeComment'],
  payment_type: ['EnumSOPOrderPaymentTypeFull', 'EnumSOPOrderPaymentTypePart'],
};

/** Timestamps the server always sets: clients echo them back from a GET, so they are ignored, never refused. */
const SERVER_STAMPS = new Set(['date_time_created', 'date_time_updated']);

export interface ValidationOptions {
  mode: 'create' | 'update';
  /** What the body changes: the stored record (update), or the template a create starts from. */
  current: SageRecord;
  /** Replaces the schema's required list on create (where Sage's own field text says the list is wrong). */
  required?: readonly string[];
  /** Fields the server sets whatever is sent, ignored in the body (an order's `document_no` on Standard). */
  ignored?: readonly string[];
}

/** A 400 in the application's shape. */
export function badRequest(message: string): SageApiError {
  return new SageApiError(400, message);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Structural equality of JSON values, whatever the key order; with `ignoreStamps`, `date_time_created` and
 * `date_time_updated` at any depth do not count (a body echoing a record read earlier).
 */
export function sameJson(a: unknown, b: unknown, ignoreStamps = false): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => sameJson(x, b[i], ignoreStamps))
    );
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = (o: Record<string, unknown>): string[] =>
    Object.keys(o).filter((k) => !(ignoreStamps && SERVER_STAMPS.has(k)));
  const own = keys(a);
  return (
    own.length === keys(b).length &&
    own.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k], ignoreStamps))
  );
}

function typesOf(schema: SchemaObject): string[] {
  return typeof schema.type === 'string' ? [schema.type] : [...(schema.type ?? [])];
}

/** A navigation property (`$expand` target): never written through a body. */
export function isNavigation(schema: SchemaObject): boolean {
  return schema.$ref !== undefined || schema['x-sage-expandable'] === true;
}

const DOTNET_TYPES: Readonly<Record<string, string>> = {
  int16: 'System.Int16',
  int32: 'System.Int32',
  int64: 'System.Int64',
};
const INTEGER_RANGE: Readonly<Record<string, number>> = { int16: 2 ** 15, int32: 2 ** 31, int64: 2 ** 53 };

function dotnetType(schema: SchemaObject, base: string): string {
  if (base === 'integer') return DOTNET_TYPES[schema.format ?? 'int64'] ?? 'System.Int64';
  if (base === 'number') return 'System.Decimal';
  if (base === 'boolean') return 'System.Boolean';
  if (base === 'string') return schema.format === 'date-time' ? 'System.DateTime' : 'System.String';
  return base === 'array' ? 'System.Collections.Generic.List' : 'System.Object';
}

function conversionError(value: unknown, schema: SchemaObject, base: string, path: string): SageApiError {
  const shown = value === null ? '{null}' : JSON.stringify(value);
  return badRequest(`Error converting value ${shown} to type '${dotnetType(schema, base)}'. Path '${path}'.`);
}

const DATE = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

/** A business date as Sage stores it (midnight, no zone), or undefined when the text is no date. */
function businessDate(text: string): string | undefined {
  const match = DATE.exec(text.trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return `${y}-${m}-${d}T00:00:00`;
}

function roundTo(value: number, format: string | undefined): number {
  const places = /^decimal (\d)dp$/.exec(format ?? '')?.[1];
  if (places === undefined) return value;
  const scale = 10 ** Number(places);
  return Math.round((value + Math.sign(value) * Number.EPSILON) * scale) / scale + 0;
}

/** One scalar, checked and normalised (business dates to midnight, decimals to their places). */
function scalar(value: unknown, schema: SchemaObject, name: string, path: string): JsonValue {
  const types = typesOf(schema);
  const base = types.find((t) => t !== 'null') ?? 'object';
  if (value === null) {
    if (types.includes('null')) return null;
    throw conversionError(value, schema, base, path);
  }
  switch (base) {
    case 'string': {
      if (typeof value !== 'string') throw conversionError(value, schema, base, path);
      if (schema.format === 'date-time') {
        const date = businessDate(value);
        if (date === undefined) throw conversionError(value, schema, base, path);
        return date;
      }
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        throw badRequest(`The field ${path} must be a string with a maximum length of ${schema.maxLength}.`);
      }
      const names = WRITABLE_ENUMS[name];
      if (names && value !== '' && !names.includes(value)) {
        throw badRequest(`The value '${value}' is not valid for ${path}. Valid values: ${names.join(', ')}.`);
      }
      return value;
    }
    case 'integer': {
      const range = INTEGER_RANGE[schema.format ?? 'int64'] ?? 2 ** 53;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < -range || value >= range) {
        throw conversionError(value, schema, base, path);
      }
      return value;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw conversionError(value, schema, base, path);
      return roundTo(value, schema.format);
    case 'boolean':
      if (typeof value !== 'boolean') throw conversionError(value, schema, base, path);
      return value;
    default:
      throw conversionError(value, schema, base, path);
  }
}

function isRequiredMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Checks `body` against an object schema and returns the patch it makes: only the schema's writable fields, with
 * normalised values. Unknown fields and navigation properties are ignored (as ASP.NET's binder ignores them). A
 * read-only field is refused unless it repeats the value it already has (a GET-modify-PUT round trip, or a `_new`
 * template sent back); the required-and-read-only fields (a department's `code`) are set once, on create.
 */
export function validateBody(
  schema: SchemaObject,
  body: Record<string, unknown>,
  options: ValidationOptions,
  prefix = '',
): SageRecord {
  const patch: SageRecord = {};
  const required = options.mode === 'create' ? (options.required ?? schema.required ?? []) : [];
  const ignored = new Set(options.ignored ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (!Object.hasOwn(body, name) || isNavigation(property) || ignored.has(name)) continue;
    const value = body[name];
    const path = `${prefix}${name}`;
    const current = options.current[name];
    if (property.readOnly === true || SERVER_STAMPS.has(name)) {
      const setOnce = options.mode === 'create' && required.includes(name);
      if (SERVER_STAMPS.has(name) || (!setOnce && sameJson(value, current, true))) continue;
      if (!setOnce) throw badRequest(`The field ${path} is read-only.`);
    }
    const types = typesOf(property);
    if (types.includes('object') && value !== null) {
      if (!isObject(value)) throw conversionError(value, property, 'object', path);
      patch[name] = validateBody(
        property,
        value,
        { mode: options.mode, current: isObject(current) ? (current as SageRecord) : {} },
        `${path}.`,
      );
    } else if (types.includes('array') && value !== null) {
      patch[name] = validateItems(property, value, Array.isArray(current) ? current : [], options.mode, path);
    } else {
      patch[name] = scalar(value, property, name, path);
    }
  }
  for (const name of required) {
    const sent = Object.hasOwn(body, name) && !ignored.has(name) ? body[name] : undefined;
    if (isRequiredMissing(sent)) throw badRequest(`The ${prefix}${name} field is required.`);
  }
  return patch;
}

/**
 * An array of inline objects (a bank's `emails`, ...), Sage's way: an item with an `id` changes that item, one
 * without is added, one with `is_to_delete: true` is removed. Returns the item patches, each keeping its `id`.
 */
function validateItems(
  schema: SchemaObject,
  value: unknown,
  current: readonly JsonValue[],
  mode: ValidationOptions['mode'],
  path: string,
): SageRecord[] {
  if (!Array.isArray(value)) throw conversionError(value, schema, 'array', path);
  const items = schema.items ?? {};
  return value.map((item, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(item)) throw conversionError(item, items, 'object', at);
    const id = item.id;
    let existing: SageRecord = {};
    if (id !== undefined && id !== null && id !== 0) {
      const found = current.find((c) => isObject(c) && c.id === id);
      if (!found) throw badRequest(`No item was found with the Id '${String(id)}' given in ${at}.id.`);
      existing = found as SageRecord;
    }
    const { id: _id, ...rest } = item;
    const patch = validateBody(
      items,
      rest,
      { mode: existing.id === undefined ? 'create' : mode, current: existing },
      `${at}.`,
    );
    if (existing.id !== undefined) patch.id = existing.id;
    return patch;
  });
}

/**
 * `patch` laid over `current`: scalars replace, inline objects merge field by field, arrays of inline objects merge
 * item by item (see validateItems). New items and objects get id 0, for `assignIds` to fill. Nothing is mutated.
 */
export function mergeRecord(current: SageRecord, patch: SageRecord, schema: SchemaObject): SageRecord {
  const merged: SageRecord = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    const property = schema.properties?.[name] ?? {};
    const before = current[name];
    if (isObject(value) && typesOf(property).includes('object')) {
      merged[name] = mergeRecord(
        isObject(before) ? (before as SageRecord) : {},
        value as SageRecord,
        property,
      );
    } else if (Array.isArray(value) && typesOf(property).includes('array')) {
      merged[name] = mergeItems(
        Array.isArray(before) ? before : [],
        value as SageRecord[],
        property.items ?? {},
      );
    } else {
      merged[name] = value;
    }
  }
  return merged;
}

function mergeItems(
  current: readonly JsonValue[],
  patches: readonly SageRecord[],
  schema: SchemaObject,
): JsonValue[] {
  const result: JsonValue[] = current.map((item) => item);
  for (const patch of patches) {
    const at =
      patch.id === undefined ? -1 : result.findIndex((item) => isObject(item) && item.id === patch.id);
    if (patch.is_to_delete === true) {
      if (at !== -1) result.splice(at, 1);
      continue;
    }
    if (at !== -1) {
      result[at] = mergeRecord(result[at] as SageRecord, patch, schema);
    } else {
      result.push(mergeRecord(blankFromSchema(schema), { ...patch, id: 0 }, schema));
    }
  }
  return result;
}

/**
 * A record with every field of `schema` blank, as the seed's `blankRecord` builds them: '' strings, 0 numbers,
 * false booleans, null for nullable fields, Sage's `default` where it declares one, nested objects filled the same
 * way and empty arrays. Navigation properties are left out.
 */
export function blankFromSchema(schema: SchemaObject): SageRecord {
  const record: SageRecord = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (isNavigation(property)) continue;
    const types = typesOf(property);
    if (property.default !== undefined) record[name] = property.default as JsonValue;
    else if (types.includes('object')) record[name] = blankFromSchema(property);
    else if (types.includes('array')) record[name] = [];
    else if (types.includes('null')) record[name] = null;
    else if (types.includes('string')) record[name] = '';
    else if (types.includes('boolean')) record[name] = false;
    else record[name] = 0;
  }
  return record;
}

/** Sage's declared defaults laid over a record (the seed's blank records leave them blank). */
export function withDefaults(record: SageRecord, schema: SchemaObject): SageRecord {
  const out: SageRecord = { ...record };
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (isNavigation(property) || !Object.hasOwn(out, name)) continue;
    if (property.default !== undefined) out[name] = property.default as JsonValue;
    else if (isObject(out[name]) && typesOf(property).includes('object')) {
      out[name] = withDefaults(out[name] as SageRecord, property);
    }
  }
  return out;
}

/**
 * Fills what the server owns on a record about to be stored: a reserved id for the record and for every nested
 * object or array item still at id 0, and the sandbox clock's `date_time_created` / `date_time_updated` on
 * everything new or changed (so `date_time_updated gt ...` sees every change). Mutates and returns `record`, a
 * fresh object from mergeRecord.
 */
export function stampRecord(
  record: SageRecord,
  previous: SageRecord | undefined,
  schema: SchemaObject,
  now: string,
  reserveId: () => number,
): SageRecord {
  // Untouched objects keep everything, even a blank id 0 (a seeded empty credit_memo_note).
  if (previous !== undefined && sameJson(record, previous)) return record;
  if (Object.hasOwn(record, 'id') && (record.id === 0 || record.id === null)) record.id = reserveId();
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const value = record[name];
    const before = previous?.[name];
    if (isObject(value) && typesOf(property).includes('object')) {
      const prior = isObject(before) ? (before as SageRecord) : undefined;
      record[name] = stampRecord({ ...(value as SageRecord) }, prior, property, now, reserveId);
    } else if (Array.isArray(value) && typesOf(property).includes('array')) {
      const priorItems = Array.isArray(before) ? before : [];
      record[name] = value.map((item) => {
        if (!isObject(item)) return item;
        const prior = priorItems.find((p) => isObject(p) && p.id === item.id && item.id !== 0);
        return stampRecord(
          { ...(item as SageRecord) },
          prior as SageRecord | undefined,
          property.items ?? {},
          now,
          reserveId,
        );
      });
    }
  }
  if (Object.hasOwn(record, 'date_time_created') && previous === undefined) record.date_time_created = now;
  if (Object.hasOwn(record, 'date_time_updated')) record.date_time_updated = now;
  return record;
}

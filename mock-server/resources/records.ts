/**
 * Records as writes build them: a validated patch laid over the stored record (or the template a create starts
 * from), blank records and Sage's declared defaults, and the ids and stamps the server owns.
 */
import { isNavigation, type SchemaObject, schemaTypes } from '../../contracts/index.ts';
import { blankFromSchema } from '../world/fields.ts';
import { isJsonObject as isObject, sameJson } from '../world/json.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';

/**
 * `patch` laid over `current`: scalars replace, inline objects merge field by field, arrays of inline objects merge
 * item by item (see validateItems). New items and objects get id 0, for `assignIds` to fill. Nothing is mutated.
 */
export function mergeRecord(current: SageRecord, patch: SageRecord, schema: SchemaObject): SageRecord {
  const merged: SageRecord = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    const property = schema.properties?.[name] ?? {};
    const before = current[name];
    if (isObject(value) && schemaTypes(property).includes('object')) {
      merged[name] = mergeRecord(
        isObject(before) ? (before as SageRecord) : {},
        value as SageRecord,
        property,
      );
    } else if (Array.isArray(value) && schemaTypes(property).includes('array')) {
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
      result.push(mergeRecord(withDefaults(blankFromSchema(schema), schema), { ...patch, id: 0 }, schema));
    }
  }
  return result;
}

/** Sage's declared defaults laid over a record (the seed's blank records leave them blank). */
export function withDefaults(record: SageRecord, schema: SchemaObject): SageRecord {
  const out: SageRecord = { ...record };
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (isNavigation(property) || !Object.hasOwn(out, name)) continue;
    if (property.default !== undefined) out[name] = property.default as JsonValue;
    else if (isObject(out[name]) && schemaTypes(property).includes('object')) {
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
    if (isObject(value) && schemaTypes(property).includes('object')) {
      const prior = isObject(before) ? (before as SageRecord) : undefined;
      record[name] = stampRecord({ ...(value as SageRecord) }, prior, property, now, reserveId);
    } else if (Array.isArray(value) && schemaTypes(property).includes('array')) {
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

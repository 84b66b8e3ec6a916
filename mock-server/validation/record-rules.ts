/**
 * The rules of a Sage write that JSON Schema does not state, judged along the body in the schema's property order:
 * required fields as DataAnnotations' [Required] sees them (missing, null or a blank string; on update nothing is
 * required, as a PUT changes only the fields it sends), read-only fields against the stored record, fields the
 * server owns (its stamps, navigation properties, a resource's ignored fields), and inline array items named by an
 * id the stored record lacks. The walk also numbers the fields in that order, so that the validator can report
 * the first problem as Sage does (problems.ts), and builds the patch a valid body makes.
 */
import {
  BUSINESS_DATE_FORMAT,
  escapePointer,
  isNavigation,
  type OpenApiDocument,
  objectSchema,
  type SchemaObject,
  schemaTypes,
} from '../../contracts/index.ts';
import { isJsonObject, SERVER_STAMPS, sameJson } from '../world/json.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { businessDate, decimalPlaces } from './dotnet.ts';
import { type Problem, RANK } from './problems.ts';
import { fieldPath, readOnlyMessage, requiredMessage, unknownItemMessage } from './sage-messages.ts';

/** The stored record a CRUD body writes to, and what the resource says about its fields. */
export interface RecordWrite {
  mode: 'create' | 'update';
  /** What the body changes: the stored record (update), or the template a create starts from. */
  current: SageRecord;
  /** Replaces the schema's required list on create (where Sage's own field text says the list is wrong). */
  required?: readonly string[];
  /** Fields the server sets whatever is sent, ignored in the body (an order's `document_no` on Standard). */
  ignored?: readonly string[];
}

export interface BodyWalk {
  problems: Problem[];
  /** The ordinal of each field walked, sent or not (by JSON pointer, as Ajv's `instancePath`): schema order. */
  ordinals: ReadonlyMap<string, number>;
  /** Fields the body may send whatever they hold: a JSON Schema error at or under them does not count. */
  skipped: readonly string[];
  /** The writable fields sent, normalised (business dates to midnight, decimals to their places). */
  patch: SageRecord;
}

const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function roundTo(value: number, places: number): number {
  const scale = 10 ** places;
  return Math.round((value + Math.sign(value) * Number.EPSILON) * scale) / scale + 0;
}

/** A sent value as it is stored. */
function normalised(value: unknown, schema: SchemaObject): JsonValue {
  if (typeof value === 'string' && schema.format === BUSINESS_DATE_FORMAT)
    return businessDate(value) ?? value;
  const places = decimalPlaces(schema.format);
  if (typeof value === 'number' && places !== undefined) return roundTo(value, places);
  return value as JsonValue;
}

class Walk {
  readonly problems: Problem[] = [];
  readonly ordinals = new Map<string, number>();
  readonly skipped: string[] = [];
  private next = 0;

  constructor(
    private readonly doc: OpenApiDocument,
    private readonly prefix: string,
  ) {}

  visit(pointer: string): number {
    const ordinal = this.next++;
    this.ordinals.set(pointer, ordinal);
    return ordinal;
  }

  private refuse(ordinal: number, rank: number, message: string): void {
    this.problems.push({ ordinal, rank, message });
  }

  private path(pointer: string): string {
    return fieldPath(pointer, this.prefix);
  }

  private resolve(schema: SchemaObject): SchemaObject {
    return schema.$ref !== undefined || schema.allOf !== undefined ? objectSchema(this.doc, schema) : schema;
  }

  object(
    schema: SchemaObject,
    body: Record<string, unknown>,
    at: string,
    record: RecordWrite | undefined,
  ): SageRecord {
    const patch: SageRecord = {};
    const required =
      record === undefined
        ? (schema.required ?? [])
        : record.mode === 'create'
          ? (record.required ?? schema.required ?? [])
          : [];
    const ignored = new Set(record?.ignored ?? []);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const pointer = `${at}/${escapePointer(name)}`;
      const ordinal = this.visit(pointer);
      if (required.includes(name)) {
        const sent = Object.hasOwn(body, name) && !ignored.has(name) ? body[name] : undefined;
        if (isBlank(sent)) this.refuse(ordinal, RANK.required, requiredMessage(this.path(pointer)));
      }
      if (!Object.hasOwn(body, name)) continue;
      const value = body[name];
      if (isNavigation(property) || SERVER_STAMPS.has(name) || ignored.has(name)) {
        this.skipped.push(pointer);
        continue;
      }
      // Read-only fields may repeat the value they have (a GET-modify-PUT round trip, a `_new` template sent back).
      if (record && property.readOnly === true) {
        this.skipped.push(pointer);
        if (!sameJson(value, record.current[name], true)) {
          this.refuse(ordinal, RANK.refused, readOnlyMessage(this.path(pointer)));
        }
        continue;
      }
      const resolved = this.resolve(property);
      const types = schemaTypes(resolved);
      const current = record?.current[name];
      if (types.includes('object') && isJsonObject(value)) {
        const inner = record && {
          mode: record.mode,
          current: isJsonObject<JsonValue>(current) ? current : {},
        };
        patch[name] = this.object(resolved, value, pointer, inner);
      } else if (types.includes('array') && Array.isArray(value)) {
        patch[name] = this.items(resolved, value, pointer, record, Array.isArray(current) ? current : []);
      } else {
        patch[name] = normalised(value, resolved);
      }
    }
    return patch;
  }

  /**
   * An array of inline objects (a bank's `emails`, ...), Sage's way: an item with an `id` changes that item of the
   * stored record, one without is added. Returns the item patches, each keeping its `id`. Without a stored record
   * (a posting's lines), `id` is just a field.
   */
  private items(
    schema: SchemaObject,
    value: readonly unknown[],
    at: string,
    record: RecordWrite | undefined,
    current: readonly JsonValue[],
  ): JsonValue[] {
    const itemSchema = this.resolve(schema.items ?? {});
    if (!schemaTypes(itemSchema).includes('object')) return value.map((item) => normalised(item, itemSchema));
    return value.flatMap((item, index) => {
      const pointer = `${at}/${index}`;
      const ordinal = this.visit(pointer);
      if (!isJsonObject(item)) return [];
      if (record === undefined) return [this.object(itemSchema, item, pointer, undefined)];
      const { id, ...rest } = item;
      let existing: SageRecord | undefined;
      if (id !== undefined && id !== null && id !== 0) {
        existing = current.find((c): c is SageRecord => isJsonObject(c) && c.id === id);
        if (!existing) {
          this.refuse(ordinal, RANK.refused, unknownItemMessage(id, this.path(`${pointer}/id`)));
          this.skipped.push(pointer);
          return [];
        }
      }
      this.skipped.push(`${pointer}/id`);
      const patch = this.object(itemSchema, rest, pointer, {
        mode: existing ? record.mode : 'create',
        current: existing ?? {},
      });
      if (existing?.id !== undefined) patch.id = existing.id;
      return [patch];
    });
  }
}

/**
 * Walks `body` along `schema` (an object schema, its `allOf` merged). With `record`, a CRUD write: the stored
 * record's rules apply. Without, a posting: only the required lists. `prefix` goes before every field's name in
 * messages (`lines[0].` for an order line).
 */
export function walkBody(
  doc: OpenApiDocument,
  schema: SchemaObject,
  body: unknown,
  record: RecordWrite | undefined,
  prefix: string,
): BodyWalk {
  const walk = new Walk(doc, prefix);
  walk.visit('');
  const patch = isJsonObject(body) ? walk.object(schema, body, '', record) : {};
  return { problems: walk.problems, ordinals: walk.ordinals, skipped: walk.skipped, patch };
}

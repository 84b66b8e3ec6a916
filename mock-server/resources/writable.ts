/**
 * What a writable Sage resource tells the generic create / update / delete routes (crud-routes.ts): where its
 * create starts from, how a merged record is checked and completed, and what a delete takes with it. Also the
 * checks every family shares: referenced ids exist, unique keys stay unique. See docs/writes.md.
 */
import type { ResourceDefinition, SchemaObject } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { Change, CompanyStore, TableName } from '../store/index.ts';
import type { JsonValue, SageRecord, SandboxUser } from '../world/model.ts';

/** The request a write runs in: one company, the signed-in user and the sandbox clock's time. */
export interface WriteContext {
  company: CompanyStore;
  user: SandboxUser;
  /** Sandbox time as a UTC instant, for `date_time_created` / `date_time_updated`. */
  now: string;
  /** Sandbox date as a Sage business date (`2026-11-24T00:00:00`). */
  today: string;
  /** The contract's component schemas, by name. */
  schema(name: string): SchemaObject;
}

/** What a checked write stores, and what the client gets back. */
export interface WriteResult {
  record: SageRecord;
  /** Every change, the record's own put included. */
  changes: Change[];
  /** The response body when it is not the record itself (an order with its lines). */
  response?: JsonValue;
}

/**
 * The second half of a write: runs only after every check passed, reserves ids and builds the changes. `reserveId`
 * replaces the company's id counter: `PUT /sop_orders_new/{Id}`, which saves nothing, passes one that answers 0.
 */
export type CommitStep = (reserveId?: () => number) => WriteResult;

export interface WritableResource {
  definition: ResourceDefinition;
  /**
   * Verbs Sage's file lists on the flat paths: POST on the collection, PUT and DELETE on `/{Id}`. The nested paths
   * (`/customers/{customerId}/customer_contacts`) serve the verbs the contract declares on them.
   */
  create: boolean;
  update: boolean;
  remove: boolean;
  /** PUT on the collection with an array body (departments, cost centres). */
  bulkUpdate?: boolean;
  /**
   * `customers_new`: a template endpoint, with the schema of its request body (undefined: no fields). With `put`,
   * Sage's file also lists `PUT /{path}/{Id}`: the body worked out on the stored record `{Id}` (or on a new one when
   * `{Id}` is 0) as a write would leave it, defaults and totals filled in, and nothing saved.
   */
  template?: { path: string; requestSchema?: string; put?: boolean };
  /** Replaces Sage's required list on create where Sage's field text says otherwise. */
  required?: readonly string[];
  /** Fields the server assigns, ignored in bodies. */
  ignored?: readonly string[];
  /**
   * The record a create (or a `_new` template) starts from: blank fields, Sage's defaults, the company's defaults;
   * `parent` is the nearest parent a nested path names (the contact of `/customer_contacts/{Id}/customer_emails`).
   */
  start(ctx: WriteContext, request: Record<string, unknown>, parent: SageRecord | undefined): SageRecord;
  /**
   * Checks a merged record (references, unique keys, business rules) and fills derived fields; throws a 400 for
   * the first problem. `previous` is the stored record on update. Returns the commit step.
   */
  prepare(
    record: SageRecord,
    previous: SageRecord | undefined,
    ctx: WriteContext,
    body: Record<string, unknown>,
  ): CommitStep;
  /**
   * The collection PUT's check of its items together, after each passed alone: what no single item shows (two
   * items giving one name). May settle the items between them (one made the default clears it on the others).
   */
  checkBatch?(records: readonly SageRecord[], ctx: WriteContext): void;
  /**
   * Drafts kept apart from the resource's own table (`POST /sop_orders_duplicate`): `PUT /{Id}` and `DELETE /{Id}`
   * reach a draft when no stored record has the id. `prepare` confirms the draft when the merged record's
   * `is_editing` is false, else changes the draft; `discard` returns every change a DELETE of the draft makes.
   */
  drafts?: {
    find(ctx: WriteContext, id: number): SageRecord | undefined;
    prepare(
      record: SageRecord,
      draft: SageRecord,
      ctx: WriteContext,
      body: Record<string, unknown>,
    ): CommitStep;
    discard(draft: SageRecord, ctx: WriteContext): Change[];
  };
  /** Checks a delete (throws a 400 when refused) and returns the other changes it makes. */
  prepareDelete?(record: SageRecord, ctx: WriteContext): Change[];
  /** A template's response (default: the start record). */
  templateBody?(record: SageRecord, ctx: WriteContext): JsonValue;
}

/** The id in `field`, which must name a record of `collection` when set (null or absent: no link). */
export function requireReference(
  ctx: WriteContext,
  record: SageRecord,
  field: string,
  collection: TableName,
  noun: string,
  path = field,
): SageRecord | undefined {
  const value = record[field];
  if (value === null || value === undefined) return undefined;
  const found = typeof value === 'number' ? ctx.company.table(collection).get(value) : undefined;
  if (!found) throw badRequest(`No ${noun} was found with the Id '${String(value)}' given in ${path}.`);
  return found;
}

/**
 * The nominal account a reference, cost centre and department name (Sage identifies accounts by the three);
 * undefined when the reference is blank. `field` names the reference field in the message.
 */
export function requireNominal(
  ctx: WriteContext,
  reference: JsonValue | undefined,
  costCentre: JsonValue | undefined,
  department: JsonValue | undefined,
  field: string,
): SageRecord | undefined {
  if (typeof reference !== 'string' || reference === '') return undefined;
  const cc = typeof costCentre === 'string' ? costCentre : '';
  const dept = typeof department === 'string' ? department : '';
  const found = ctx.company
    .table('nominal_codes')
    .lookup('reference', reference)
    ?.find(
      (n) =>
        n.reference === reference &&
        String(n.cost_centre_code).toLowerCase() === cc.toLowerCase() &&
        String(n.department_code).toLowerCase() === dept.toLowerCase(),
    );
  if (!found) {
    throw badRequest(
      `No nominal code was found with the reference '${reference}', cost centre '${cc}' and department '${dept}' given in ${field}.`,
    );
  }
  return found;
}

/** Refuses a value of `field` that another record of the collection already has (compared without case). */
export function requireUnique(
  ctx: WriteContext,
  record: SageRecord,
  collection: TableName,
  field: string,
  noun: string,
): void {
  const value = record[field];
  if (typeof value !== 'string' || value === '') return;
  const table = ctx.company.table(collection);
  const matches =
    table.lookup(field, value) ??
    table.all().filter((r) => String(r[field]).toLowerCase() === value.toLowerCase());
  if (matches.some((other) => other.id !== record.id)) {
    throw badRequest(`The ${field} '${value}' is already used by another ${noun}.`);
  }
}

/** The record's own put, for a commit step. */
export function put(table: TableName, record: SageRecord): Change {
  return { kind: 'put', table, record };
}

/**
 * Create, update and delete for the writable Sage resources, plus their `*_new` templates, as Sage's published
 * OpenAPI files list the verbs. Every write goes: gateway, role, trial refusal, body, schema check, the
 * resource's own checks, and only then one Store.commit, so a refused request changes nothing. POST and PUT
 * answer 200 with the whole record, DELETE 200 with an empty body (Sage's files declare no content). See
 * docs/writes.md.
 */
import type { Context } from 'hono';
import { loadCatalog, loadContract, requestSchemaName } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { ApiEnv } from '../gateway/index.ts';
import type { Change } from '../store/index.ts';
import { type RecordWrite, writeValidator } from '../validation/index.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { bankResources } from './banks.ts';
import { nominalResources } from './nominal.ts';
import { orderResources } from './orders.ts';
import { mergeRecord } from './records.ts';
import { type ApiRoutes, JSON_TYPE, notFound, parseId } from './route-helpers.ts';
import { settingsResources } from './settings.ts';
import { stockResources } from './stock.ts';
import { traderResources } from './traders.ts';
import type { CommitStep, ParentPath, WritableResource, WriteContext, WriteResult } from './writable.ts';
import { schemaCache, writeContexts } from './write-context.ts';
import { readJsonBody, readJsonObject, rejectTrialWrites } from './write-guards.ts';

/** Every writable resource, by family. */
export const WRITABLE_RESOURCES: readonly WritableResource[] = [
  ...traderResources,
  ...nominalResources,
  ...bankResources,
  ...stockResources,
  ...orderResources,
  ...settingsResources,
];

function json(c: Context, body: JsonValue): Response {
  return c.body(JSON.stringify(body), 200, JSON_TYPE);
}

/** A template request: `{}` when the body is empty (Sage's `customers_new` request has no fields). */
async function readTemplateRequest(c: Context): Promise<Record<string, unknown>> {
  if (!c.req.raw.body || c.req.header('Content-Length') === '0') return {};
  return readJsonObject(c);
}

export function registerCrudRoutes({ api, deps, gate }: ApiRoutes): void {
  const contract = loadContract();
  const schemaOf = schemaCache();
  const context = writeContexts(deps);
  const validator = writeValidator();
  const commit = async (ctx: WriteContext, changes: Change[]): Promise<void> => {
    await deps.store().commit(ctx.company, changes);
  };
  const trial = rejectTrialWrites();

  for (const resource of WRITABLE_RESOURCES) {
    const { definition } = resource;
    const schema = schemaOf(definition.schema);
    const guard = gate(definition.modules);
    const table = definition.collection;

    const parentRecord = (c: Context<ApiEnv>, ctx: WriteContext, parent: ParentPath): SageRecord => {
      const raw = c.req.param(parent.param) ?? '';
      const found = ctx.company
        .table(parent.collection)
        .get(parseId(raw, loadCatalog().resource(parent.path)));
      if (!found) throw notFound(loadCatalog().resource(parent.path), raw);
      return found;
    };
    /** The stored record of `/{Id}` (under its parent, when the path names one), or the 404. */
    const stored = (c: Context<ApiEnv>, ctx: WriteContext, parent: ParentPath | undefined): SageRecord => {
      const owner = parent ? parentRecord(c, ctx, parent) : undefined;
      const raw = c.req.param('Id') ?? '';
      const record = ctx.company.table(table).get(parseId(raw, definition));
      if (!record || (parent && owner && record[parent.foreignKey] !== owner.id))
        throw notFound(definition, raw);
      return record;
    };
    const options = (mode: RecordWrite['mode'], current: SageRecord): RecordWrite => ({
      mode,
      current,
      ...(resource.required ? { required: resource.required } : {}),
      ...(resource.ignored ? { ignored: resource.ignored } : {}),
    });
    // A create's body is checked against the schema its POST declares: the record's own, or one of its own where
    // Sage's record schema will not do (a department's `code`, read-only after create, is written by the POST).
    const createPath = resource.createUnder
      ? `/${resource.createUnder.path}/{${resource.createUnder.param}}/${definition.path}`
      : `/${definition.path}`;
    const createSchema = requestSchemaName(contract, createPath, 'post') ?? definition.schema;
    /** The checks of a create, up to the commit step. */
    const prepareCreate = (
      body: Record<string, unknown>,
      ctx: WriteContext,
      owner: SageRecord | undefined,
    ): CommitStep => {
      const start = resource.start(ctx, body, owner);
      const patch = validator.checkRecord(createSchema, body, options('create', start));
      return resource.prepare(mergeRecord(start, patch, schema), undefined, ctx, body);
    };
    /** The checks of an update of `previous`, up to the commit step. */
    const prepareUpdate = (
      body: Record<string, unknown>,
      previous: SageRecord,
      ctx: WriteContext,
    ): CommitStep => {
      const patch = validator.checkRecord(definition.schema, body, options('update', previous));
      return resource.prepare(mergeRecord(previous, patch, schema), previous, ctx, body);
    };
    const update = (body: Record<string, unknown>, previous: SageRecord, ctx: WriteContext): WriteResult =>
      prepareUpdate(body, previous, ctx)();

    if (resource.template) {
      const { requestSchema } = resource.template;
      api.post(`/${resource.template.path}`, guard, async (c) => {
        const request = await readTemplateRequest(c);
        if (requestSchema) validator.checkRecord(requestSchema, request, { mode: 'create', current: {} });
        const ctx = context(c);
        const record = resource.start(ctx, request, undefined);
        return json(c, resource.templateBody?.(record, ctx) ?? record);
      });
    }
    if (resource.template?.put) {
      // Saves nothing, so trial sites may call it too; no id is reserved (new records and lines keep id 0).
      api.put(`/${resource.template.path}/:Id`, guard, async (c) => {
        const body = await readJsonObject(c);
        const ctx = context(c);
        const step =
          parseId(c.req.param('Id'), definition) === 0
            ? prepareCreate(body, ctx, undefined)
            : prepareUpdate(body, stored(c, ctx, undefined), ctx);
        const result = step(() => 0);
        return json(c, result.response ?? result.record);
      });
    }

    const create = (parent: ParentPath | undefined) => async (c: Context<ApiEnv>) => {
      const body = await readJsonObject(c);
      const ctx = context(c);
      const owner = parent ? parentRecord(c, ctx, parent) : undefined;
      const result = prepareCreate(body, ctx, owner)();
      await commit(ctx, result.changes);
      return json(c, result.response ?? result.record);
    };
    /** The draft `/{Id}` names when no stored record has the id (a path with a parent never names one). */
    const draftOf = (c: Context<ApiEnv>, ctx: WriteContext, parent: ParentPath | undefined) => {
      const drafts = resource.drafts;
      if (!drafts || parent || ctx.company.table(table).get(parseId(c.req.param('Id'), definition))) {
        return undefined;
      }
      const draft = drafts.find(ctx, parseId(c.req.param('Id'), definition));
      return draft ? { drafts, draft } : undefined;
    };
    const put = (parent: ParentPath | undefined) => async (c: Context<ApiEnv>) => {
      const body = await readJsonObject(c);
      const ctx = context(c);
      const found = draftOf(c, ctx, parent);
      let result: WriteResult;
      if (found) {
        const patch = validator.checkRecord(definition.schema, body, options('update', found.draft));
        result = found.drafts.prepare(mergeRecord(found.draft, patch, schema), found.draft, ctx, body)();
      } else {
        result = update(body, stored(c, ctx, parent), ctx);
      }
      await commit(ctx, result.changes);
      return json(c, result.response ?? result.record);
    };
    const remove = (parent: ParentPath | undefined) => async (c: Context<ApiEnv>) => {
      const ctx = context(c);
      const found = draftOf(c, ctx, parent);
      if (found) {
        await commit(ctx, found.drafts.discard(found.draft, ctx));
        return c.body(null, 200);
      }
      const record = stored(c, ctx, parent);
      const others = resource.prepareDelete?.(record, ctx) ?? [];
      await commit(ctx, [{ kind: 'delete', table, id: record.id as number }, ...others]);
      return c.body(null, 200);
    };

    if (resource.create) api.post(`/${definition.path}`, guard, trial, create(undefined));
    if (resource.update) api.put(`/${definition.path}/:Id`, guard, trial, put(undefined));
    if (resource.remove) api.delete(`/${definition.path}/:Id`, guard, trial, remove(undefined));

    const under = resource.createUnder;
    if (under) {
      api.post(`/${under.path}/:${under.param}/${definition.path}`, guard, trial, create(under));
    }
    const nested = resource.nestedUnder;
    if (nested) {
      const path = `/${nested.path}/:${nested.param}/${definition.path}/:Id`;
      api.put(path, guard, trial, put(nested));
      api.delete(path, guard, trial, remove(nested));
    }

    if (resource.bulkUpdate) {
      api.put(`/${definition.path}`, guard, trial, async (c) => {
        const body = await readJsonBody(c);
        if (!Array.isArray(body))
          throw badRequest(`The request body must be a JSON array of ${definition.noun}s.`);
        const ctx = context(c);
        // Every item is checked before any is stored: all change, or none.
        const results = body.map((item, index) => {
          if (typeof item !== 'object' || item === null || Array.isArray(item)) {
            throw badRequest(`Item [${index}] of the request body must be a JSON object.`);
          }
          const entry = item as Record<string, unknown>;
          const id = entry.id;
          const previous = typeof id === 'number' ? ctx.company.table(table).get(id) : undefined;
          if (!previous) throw notFound(definition, String(id ?? ''));
          return update(entry, previous, ctx);
        });
        await commit(
          ctx,
          results.flatMap((r) => r.changes),
        );
        return json(
          c,
          results.map((r) => r.record),
        );
      });
    }
  }
}

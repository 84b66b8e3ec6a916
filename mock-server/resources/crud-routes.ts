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
import { contactChannelResources } from './contact-channels.ts';
import { despatchReceiptResource } from './despatch-receipts.ts';
import { genericResources, ownedRecordDeletes } from './generic-writes.ts';
import { holdingResources } from './holdings.ts';
import { type NestedOwner, nestedOwner, nestedRoute, nestedTemplate } from './nested-owner.ts';
import { nominalResources } from './nominal.ts';
import { orderResources } from './orders.ts';
import { postedTransactionResources } from './posted-transactions.ts';
import { mergeRecord } from './records.ts';
import { type ApiRoutes, JSON_TYPE, notFound, parseId } from './route-helpers.ts';
import { settingsResources } from './settings.ts';
import { stockResources } from './stock.ts';
import { stockLinkResources } from './stock-links.ts';
import { stocktakeResources } from './stocktakes.ts';
import { traderResources } from './traders.ts';
import type { CommitStep, WritableResource, WriteContext, WriteResult } from './writable.ts';
import { schemaCache, writeContexts } from './write-context.ts';
import { readJsonBody, readJsonObject, rejectTrialWrites } from './write-guards.ts';

/** Every writable resource, by family. */
export const WRITABLE_RESOURCES: readonly WritableResource[] = [
  ...traderResources,
  ...contactChannelResources,
  ...nominalResources,
  ...bankResources,
  ...stockResources,
  ...stockLinkResources,
  ...holdingResources,
  ...stocktakeResources,
  ...orderResources,
  ...settingsResources,
  ...postedTransactionResources,
  ...genericResources,
  despatchReceiptResource,
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
  const catalog = loadCatalog();
  const schemaOf = schemaCache();
  const context = writeContexts(deps);
  const commit = async (ctx: WriteContext, changes: Change[]): Promise<void> => {
    await deps.store().commit(ctx.company, changes);
  };
  const trial = rejectTrialWrites();

  for (const resource of WRITABLE_RESOURCES) {
    const { definition } = resource;
    const schema = schemaOf(definition.schema);
    const guard = gate(definition.modules);
    const table = definition.collection;

    /** The stored record of `/{Id}` under the parents a nested path names, or the 404. */
    const stored = (c: Context<ApiEnv>, ctx: WriteContext, parents: NestedOwner | undefined): SageRecord => {
      if (parents) return parents.child(ctx.company, (name) => c.req.param(name));
      const raw = c.req.param('Id') ?? '';
      const record = ctx.company.table(table).get(parseId(raw, definition));
      if (!record) throw notFound(definition, raw);
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
    const createSchemaAt = (path: string): string =>
      requestSchemaName(contract, path, 'post') ?? definition.schema;
    // An update's body likewise: the fields schema its PUT declares, or one of its own (a nominal report category's,
    // whose fields Sage marks read-only, lets `description` change).
    const updateSchema = requestSchemaName(contract, `/${definition.path}/{Id}`, 'put') ?? definition.schema;
    /** The checks of a create, up to the commit step. */
    const prepareCreate = (
      body: Record<string, unknown>,
      ctx: WriteContext,
      owner: SageRecord | undefined,
      createSchema = createSchemaAt(`/${definition.path}`),
    ): CommitStep => {
      const start = resource.start(ctx, body, owner);
      const patch = writeValidator().checkRecord(createSchema, body, options('create', start));
      return resource.prepare(mergeRecord(start, patch, schema), undefined, ctx, body);
    };
    /** The checks of an update of `previous`, up to the commit step. */
    const prepareUpdate = (
      body: Record<string, unknown>,
      previous: SageRecord,
      ctx: WriteContext,
    ): CommitStep => {
      const patch = writeValidator().checkRecord(updateSchema, body, options('update', previous));
      return resource.prepare(mergeRecord(previous, patch, schema), previous, ctx, body);
    };
    const update = (body: Record<string, unknown>, previous: SageRecord, ctx: WriteContext): WriteResult =>
      prepareUpdate(body, previous, ctx)();

    if (resource.template) {
      const { requestSchema } = resource.template;
      api.post(`/${resource.template.path}`, guard, async (c) => {
        const request = await readTemplateRequest(c);
        if (requestSchema)
          writeValidator().checkRecord(requestSchema, request, { mode: 'create', current: {} });
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

    const create = (path: string, parents: NestedOwner | undefined) => {
      const createSchema = createSchemaAt(path);
      return async (c: Context<ApiEnv>) => {
        const body = await readJsonObject(c);
        const ctx = context(c);
        const owner = parents?.owner(ctx.company, (name) => c.req.param(name));
        const result = prepareCreate(body, ctx, owner, createSchema)();
        await commit(ctx, result.changes);
        return json(c, result.response ?? result.record);
      };
    };
    /** The draft `/{Id}` names when no stored record has the id (a nested path never names one). */
    const draftOf = (c: Context<ApiEnv>, ctx: WriteContext, parents: NestedOwner | undefined) => {
      const drafts = resource.drafts;
      if (!drafts || parents || ctx.company.table(table).get(parseId(c.req.param('Id'), definition))) {
        return undefined;
      }
      const draft = drafts.find(ctx, parseId(c.req.param('Id'), definition));
      return draft ? { drafts, draft } : undefined;
    };
    const put = (parents: NestedOwner | undefined) => async (c: Context<ApiEnv>) => {
      const body = await readJsonObject(c);
      const ctx = context(c);
      const found = draftOf(c, ctx, parents);
      let result: WriteResult;
      if (found) {
        const patch = writeValidator().checkRecord(definition.schema, body, options('update', found.draft));
        result = found.drafts.prepare(mergeRecord(found.draft, patch, schema), found.draft, ctx, body)();
      } else {
        result = update(body, stored(c, ctx, parents), ctx);
      }
      await commit(ctx, result.changes);
      return json(c, result.response ?? result.record);
    };
    const remove = (parents: NestedOwner | undefined) => async (c: Context<ApiEnv>) => {
      const ctx = context(c);
      const found = draftOf(c, ctx, parents);
      if (found) {
        await commit(ctx, found.drafts.discard(found.draft, ctx));
        return c.body(null, 200);
      }
      const record = stored(c, ctx, parents);
      const others = resource.prepareDelete?.(record, ctx) ?? [];
      const owned = ownedRecordDeletes(ctx, table, record.id as number);
      await commit(ctx, [{ kind: 'delete', table, id: record.id as number }, ...others, ...owned]);
      return c.body(null, 200);
    };

    if (resource.create)
      api.post(`/${definition.path}`, guard, trial, create(`/${definition.path}`, undefined));
    if (resource.update) api.put(`/${definition.path}/:Id`, guard, trial, put(undefined));
    if (resource.remove) api.delete(`/${definition.path}/:Id`, guard, trial, remove(undefined));

    // The nested paths (`/customers/{customerId}/customer_contacts`, and two levels under a contact for its
    // channels) serve the writes the contract declares on them, each behind its parents' checks.
    for (const nested of catalog.nested.filter((n) => n.child === definition.path)) {
      const parents = nestedOwner(nested);
      const nestedGuard = gate(...parents.parents.map((p) => p.modules), definition.modules);
      const template = nestedTemplate(nested);
      const route = nestedRoute(nested);
      const declared = (path: string, verb: 'post' | 'put' | 'delete'): boolean =>
        contract.paths[path]?.[verb] !== undefined;
      if (declared(template, 'post')) api.post(route, nestedGuard, trial, create(template, parents));
      if (declared(`${template}/{Id}`, 'put')) api.put(`${route}/:Id`, nestedGuard, trial, put(parents));
      if (declared(`${template}/{Id}`, 'delete'))
        api.delete(`${route}/:Id`, nestedGuard, trial, remove(parents));
    }

    if (resource.bulkUpdate) {
      api.put(`/${definition.path}`, guard, trial, async (c) => {
        const body = await readJsonBody(c);
        if (!Array.isArray(body))
          throw badRequest(`The request body must be a JSON array of ${definition.noun}s.`);
        const ctx = context(c);
        const named = new Set<unknown>();
        // Every item is checked before any is stored: all change, or none.
        const results = body.map((item, index) => {
          if (typeof item !== 'object' || item === null || Array.isArray(item)) {
            throw badRequest(`Item [${index}] of the request body must be a JSON object.`);
          }
          const entry = item as Record<string, unknown>;
          const id = entry.id;
          const previous = typeof id === 'number' ? ctx.company.table(table).get(id) : undefined;
          if (!previous) throw notFound(definition, String(id ?? ''));
          const result = update(entry, previous, ctx);
          // After the item's own checks, so a bad field is reported as it would be alone.
          if (named.has(id)) throw badRequest(`Item [${index}] names the ${definition.noun} '${id}' again.`);
          named.add(id);
          return result;
        });
        resource.checkBatch?.(
          results.map((r) => r.record),
          ctx,
        );
        // An item's own record wins over what another item's write would make of it from the stored copy.
        const own = new Set(results.map((r) => r.record));
        await commit(
          ctx,
          results.flatMap((r) =>
            r.changes.filter(
              (change) =>
                change.kind !== 'put' ||
                change.table !== table ||
                own.has(change.record) ||
                !named.has(change.record.id),
            ),
          ),
        );
        return json(
          c,
          results.map((r) => r.record),
        );
      });
    }
  }
}

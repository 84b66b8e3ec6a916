/**
 * The steps of a stocktake after its items are chosen (Sage's stock.json): `POST /stocktake_new_items` and `POST
 * /stocktake_amend_items` list the items a new or existing stocktake may count, `POST /stocktake_enter_values`
 * moves it on to Entering Counts, `POST /stocktake_view_adjustments` shows each count against the stock now, and
 * `POST /stocktake_approve_complete` posts the differences (stocktake-completion.ts). Sage's file declares no body
 * for the last four; the sandbox takes Sage's stocktake with its `id`, which Sage's field text says
 * these steps require. Each answers the stocktake. See docs/writes.md.
 */
import type { Context } from 'hono';
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { ApiEnv } from '../gateway/index.ts';
import type { Change } from '../store/index.ts';
import { writeValidator } from '../validation/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { withDefaults } from './records.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { completionChanges } from './stocktake-completion.ts';
import { availableItems, BY_BIN, itemsOf, refreshed, STATUS } from './stocktake-items.ts';
import { requireOpen } from './stocktakes.ts';
import { put, requireReference, type WriteContext } from './writable.ts';
import { writeContexts } from './write-context.ts';
import { readJsonObject, rejectTrialWrites } from './write-guards.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const byId = (a: SageRecord, b: SageRecord) => num(a.id) - num(b.id);

/** The stocktake a step's body names by `id`, or the 400. */
function stocktakeOf(ctx: WriteContext, body: Record<string, unknown>): SageRecord {
  if (body.id === undefined || body.id === null) throw badRequest('The id field is required.');
  const stocktake = ctx.company.table('stocktakes').get(num(body.id as JsonValue));
  if (!stocktake) throw badRequest(`No stocktake was found with the Id '${String(body.id)}' given in id.`);
  return stocktake;
}

/** The stocktake with its count sheet items, as the steps answer it. */
function withItems(stocktake: SageRecord, items: readonly SageRecord[]): SageRecord {
  return { ...stocktake, stocktake_count_sheet_items: [...items].sort(byId) };
}

/** A step, given the request's body as sent and its checked fields. */
type Step = (
  ctx: WriteContext,
  body: Record<string, unknown>,
  fields: SageRecord,
) => { answer: SageRecord; changes: Change[] };

const STEPS: Readonly<Record<string, { run: Step }>> = {
  stocktake_new_items: {
    run(ctx, _body, fields) {
      const draft: SageRecord = {
        ...withDefaults(blankRecord('stocktakes', ctx.now), ctx.schema('Stocktake')),
        ...fields,
        stocktake_date: ctx.today,
        stocktake_type: fields.stocktake_type === BY_BIN ? BY_BIN : 'EnumStocktakeTypeByStockItem',
        stocktake_status: STATUS.selecting,
      };
      const warehouse = requireReference(ctx, draft, 'warehouse_id', 'warehouses', 'warehouse');
      if (!warehouse) throw badRequest('The warehouse_id field is required.');
      draft.warehouse_name = warehouse.name ?? '';
      return { answer: { ...draft, stocktake_items: availableItems(ctx, draft) }, changes: [] };
    },
  },
  stocktake_amend_items: {
    run(ctx, body) {
      const stocktake = stocktakeOf(ctx, body);
      requireOpen(stocktake);
      return { answer: { ...stocktake, stocktake_items: availableItems(ctx, stocktake) }, changes: [] };
    },
  },
  stocktake_enter_values: {
    run(ctx, body) {
      const stocktake = stocktakeOf(ctx, body);
      requireOpen(stocktake);
      const items = itemsOf(ctx, num(stocktake.id));
      if (stocktake.stocktake_status === STATUS.counting)
        return { answer: withItems(stocktake, items), changes: [] };
      if (items.length === 0)
        throw badRequest('A stocktake with no items cannot advance to Entering Counts.');
      const next = {
        ...stocktake,
        stocktake_status: STATUS.counting,
        can_modify_stocktake_type: false,
        date_time_updated: ctx.now,
      };
      const prefill = stocktake.pre_fill_actual_with_expected === true;
      const counted = items.map((item) =>
        prefill && item.actual_quantity_entered !== true
          ? {
              ...item,
              actual_quantity_entered: true,
              actual_quantity_in_stock: num(item.recorded_quantity_in_stock),
              date_time_updated: ctx.now,
            }
          : item,
      );
      const changes: Change[] = [put('stocktakes', next)];
      if (prefill) changes.push(...counted.map((item) => put('stocktake_count_sheet_items', item)));
      return { answer: withItems(next, counted), changes };
    },
  },
  stocktake_view_adjustments: {
    run(ctx, body) {
      const stocktake = stocktakeOf(ctx, body);
      const items = itemsOf(ctx, num(stocktake.id));
      // A completed stocktake shows its adjustments as posted; an open one, its counts against the stock now.
      const shown =
        stocktake.stocktake_status === STATUS.complete ? items : items.map((i) => refreshed(ctx, i));
      return { answer: withItems(stocktake, shown), changes: [] };
    },
  },
  stocktake_approve_complete: {
    run(ctx, body) {
      const stocktake = stocktakeOf(ctx, body);
      requireOpen(stocktake);
      if (stocktake.stocktake_status !== STATUS.counting) {
        throw badRequest('Only a stocktake at Entering Counts can be approved and completed.');
      }
      const items = itemsOf(ctx, num(stocktake.id));
      const uncounted = items.filter((item) => item.actual_quantity_entered !== true);
      if (items.length === 0 || uncounted.length > 0) {
        throw badRequest(
          `The stocktake cannot be completed until every item has a count: ${uncounted.length} of ${items.length} have none.`,
        );
      }
      const changes = completionChanges(ctx, stocktake, items);
      const stored = (table: string) =>
        changes.flatMap((c) => (c.kind === 'put' && c.table === table ? [c.record] : []));
      const [completed] = stored('stocktakes');
      return { answer: withItems(completed ?? stocktake, stored('stocktake_count_sheet_items')), changes };
    },
  },
};

export function registerStocktakeStepRoutes({ api, deps, gate }: ApiRoutes): void {
  const context = writeContexts(deps);
  const trial = rejectTrialWrites();
  for (const [name, step] of Object.entries(STEPS)) {
    const path = `/${name}`;
    api.post(path, gate(loadCatalog().pathModules(path)), trial, async (c: Context<ApiEnv>) => {
      const body = await readJsonObject(c);
      // `id` is read-only in Sage's schema, yet these steps need it; `warehouse_id` is required only for new items.
      const fields = writeValidator().checkRecord('Stocktake', body, {
        mode: 'create',
        current: {},
        ignored: ['id', 'stocktake_items'],
        ...(name === 'stocktake_new_items' ? {} : { required: [] }),
      });
      const ctx = context(c);
      const { answer, changes } = step.run(ctx, body, fields);
      if (changes.length > 0) await deps.store().commit(ctx.company, changes);
      return c.body(JSON.stringify(answer), 200, JSON_TYPE);
    });
  }
}

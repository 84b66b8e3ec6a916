/**
 * Views derived from the company's records at read time: the trader ledger views of Sage's sales.json and
 * purchases.json, the purchase transactions waiting for authorisation, and the products' trading figures and
 * traceable item lists of stock.json.
 */
import { accountViews } from './account-views.ts';
import { agedViews } from './aged.ts';
import { confirmDespatchViews } from './confirm-despatch.ts';
import { linkedOrderLineViews } from './linked-order-lines.ts';
import type { DerivedView } from './model.ts';
import { periodValueViews } from './period-values.ts';
import { productFiguresViews } from './product-figures.ts';
import { purchaseAuthorisationViews } from './purchase-authorisations.ts';
import { traceableItemViews } from './traceable-items.ts';
import { transactionViews } from './transaction-views.ts';

/** Every derived view, by the collection its contract entry names (`x-sandbox-resource.derived-from`). */
export const DERIVED_VIEWS: ReadonlyMap<string, DerivedView> = new Map(
  Object.entries({
    ...transactionViews,
    ...agedViews,
    ...periodValueViews,
    ...accountViews,
    ...productFiguresViews,
    ...traceableItemViews,
    ...linkedOrderLineViews,
    ...confirmDespatchViews,
    ...purchaseAuthorisationViews,
  }),
);

export {
  binItems,
  binsOf,
  despatchableQuantity,
  despatchItem,
  outstandingQuantity,
} from './confirm-despatch.ts';
export type {
  AgeingType,
  CustomFilter,
  CustomFiltering,
  DerivedView,
  ViewContext,
  ViewSources,
} from './model.ts';
export { type LineTraceableStock, lineTraceableStock, traceableBalances } from './traceable-items.ts';

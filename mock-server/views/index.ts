/**
 * Views derived from the company's records at read time: the trader ledger views of Sage's sales.json and
 * purchases.json, the purchase transactions waiting for authorisation, and the products' trading figures of
 * stock.json.
 */
import { accountViews } from './account-views.ts';
import { agedViews } from './aged.ts';
import type { DerivedView } from './model.ts';
import { periodValueViews } from './period-values.ts';
import { productFiguresViews } from './product-figures.ts';
import { purchaseAuthorisationViews } from './purchase-authorisations.ts';
import { transactionViews } from './transaction-views.ts';

/** Every derived view, by the collection its contract entry names (`x-sandbox-resource.derived-from`). */
export const DERIVED_VIEWS: ReadonlyMap<string, DerivedView> = new Map(
  Object.entries({
    ...transactionViews,
    ...agedViews,
    ...periodValueViews,
    ...accountViews,
    ...productFiguresViews,
    ...purchaseAuthorisationViews,
  }),
);

export type { AgeingType, DerivedView, ViewContext, ViewSources } from './model.ts';

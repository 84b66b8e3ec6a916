/**
 * The POST, PUT and DELETE operations of Sage's files (Professional-only ones aside) the sandbox does not serve yet,
 * path parameters written `{}`. test/contract/coverage.test.ts fails when any other write is not served, and when
 * one listed here is: the list only shrinks. docs/writes.md says what the served writes do.
 */
export const UNSERVED_WRITES: readonly string[] = [
  'post /customer_price_enquiry',
  'post /product_search',
  'put /sop_despatch_receipts/{}',
  'post /stocktake_amend_items',
  'post /stocktake_approve_complete',
  'put /stocktake_count_sheet_items/{}',
  'post /stocktake_enter_values',
  'post /stocktake_new_items',
  'post /stocktake_view_adjustments',
  'post /stocktakes',
  'delete /stocktakes/{}',
  'put /stocktakes/{}',
  'post /suggested_products',
  'post /traceable_items_amend',
];

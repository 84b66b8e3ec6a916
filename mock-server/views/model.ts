/**
 * What a derived view is: records computed from other collections of the company (the posted transactions, the
 * accounts, the calendar), never stored. The contract names the collections each reads
 * (`x-sandbox-resource.derived-from`, contracts/README.md), so the store rebuilds a view only when one of them changed.
 */
import type { SageRecord } from '../world/model.ts';

/** Sage's aged balances ageing types (`/aged_balances_ageing_types`), as `$ageingdatetype` names them. */
export type AgeingType = 'TransactionDate' | 'DueDate' | 'CalendarMonth';

/** What a view may depend on besides the company's records: the sandbox's today and the ageing type asked for. */
export interface ViewContext {
  /** Today on the sandbox clock, in days since 1970-01-01. */
  readonly today: number;
  readonly ageing: AgeingType;
  /**
   * Sage's `$periodnumber`: age as at the end of the accounting period this many before the current one (0: the
   * current period, as at today), from the allocations made by then.
   */
  readonly periodsBack?: number;
}

/** The company's records as a view reads them: only the collections its contract entry names. */
export interface ViewSources {
  all(collection: string): readonly SageRecord[];
  get(collection: string, id: number): SageRecord | undefined;
  /** The records whose `field` is `value`, in storage order. */
  lookup(collection: string, field: string, value: number): readonly SageRecord[];
}

export interface DerivedView {
  /** True when the rows depend on the context (today and the ageing type), not on the records alone. */
  readonly aged: boolean;
  build(sources: ViewSources, context: ViewContext): SageRecord[];
  /** Sage's "custom filtering" of a record read by id, where its description declares it. */
  readonly customFilter?: CustomFiltering;
}

/**
 * A view whose record by id takes a `$filter` on fields it does not have (stock.json's trading figures): some narrow
 * the records it is summed from, one sets how many periods it lists.
 */
export interface CustomFiltering {
  /** The collection whose records the filter narrows; its schema types the fields. */
  readonly narrows: string;
  /** The fields of those records the filter may name, in Sage's words. */
  readonly fields: readonly string[];
  /** The whole-number option that sets how many periods are listed (`no_of_periods`). */
  readonly periods: string;
  /** The record of `id` under the filter; undefined when no record has that id. */
  one(sources: ViewSources, id: number, filter: CustomFilter): SageRecord | undefined;
}

/** A request's custom filter, parsed and checked. */
export interface CustomFilter {
  /** How many periods to list, ending at the current one; undefined lists the view's default. */
  readonly periods?: number;
  /** The records of the narrowed collection the figures are summed from. */
  readonly keeps: (record: SageRecord) => boolean;
}

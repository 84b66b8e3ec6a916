/** OData-subset query parsing and evaluation for the collection endpoints (https://developer.sage.com/200/guides/query-parameters). */

export type { Bound, FieldRange, FilterConstraints } from './constraints.ts';
export { boundedField, filterConstraints } from './constraints.ts';
export type { QueryOption } from './errors.ts';
export { ODataError } from './errors.ts';
export type { RecordPredicate } from './filter-compiler.ts';
export { compileFilter } from './filter-compiler.ts';
export type { ComparisonOperator, FilterExpression, FilterValue, StringFunction } from './filter-parser.ts';
export type { InstantReader } from './instants.ts';
export { instantReader } from './instants.ts';
export type { FieldModel, FieldType, OrderKey, ResourceModel } from './model.ts';
export { fieldOf } from './model.ts';
export { sortRecords } from './order.ts';
export type { ExpandItem, MetadataOption, ODataQuery, QueryLimits, SelectItem } from './query.ts';
export { DEFAULT_QUERY_LIMITS, parseQuery } from './query.ts';
export { countQuery, project, runQuery } from './run.ts';
export type { PositionComparator } from './top-k.ts';
export { firstPositions, smallestNumbers } from './top-k.ts';

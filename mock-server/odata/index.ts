/** OData-subset query parsing and evaluation for the collection endpoints (https://developer.sage.com/200/guides/query-parameters). */

export type { QueryOption } from './errors.ts';
export { ODataError } from './errors.ts';
export type { RecordPredicate } from './filter-compiler.ts';
export { compileFilter, indexHint } from './filter-compiler.ts';
export type { ComparisonOperator, FilterExpression, FilterValue, StringFunction } from './filter-parser.ts';
export type { FieldModel, FieldType, OrderKey, ResourceModel } from './model.ts';
export type { ODataQuery, QueryLimits, SelectItem } from './query.ts';
export { DEFAULT_QUERY_LIMITS, parseQuery } from './query.ts';
export { countQuery, project, runQuery } from './run.ts';

/**
 * Sage's "custom filtering" of a record read by id (stock.json's `/product_sales_figures/{Id}` and
 * `/product_purchase_figures/{Id}`: "custom filtering on the following fields: 'no_of_periods', 'warehouse_name',
 * 'source_area_reference' and analysis codes 1-20"): a `$filter` on fields the record does not have. Its conditions
 * are `field eq value` joined by `and`; `no_of_periods` sets how many periods are listed and the others narrow the
 * records the view sums, compared as a list's `$filter` compares them.
 */
import { loadCatalog, type ResourceDefinition } from '../../contracts/index.ts';
import { SageApiError } from '../errors.ts';
import {
  compileFilter,
  type FieldModel,
  type FilterExpression,
  ODataError,
  parseQuery,
  type ResourceModel,
} from '../odata/index.ts';
import { type CustomFilter, type CustomFiltering, DERIVED_VIEWS } from '../views/index.ts';
import type { ResourceModels } from './models.ts';

const FILTER = '$filter';

type Comparison = Extract<FilterExpression, { kind: 'compare' }>;

/** What a view's custom filter is checked against: its fields typed, and the narrowed records' model. */
interface FilterModels {
  readonly custom: CustomFiltering;
  readonly filter: ResourceModel;
  readonly narrowed: ResourceModel;
  /** Fields Sage names that the contract's records lack: Sage 200 Professional's (analysis codes 6 to 20). */
  readonly professional: ReadonlySet<string>;
}

const filterModels = new WeakMap<ResourceDefinition, FilterModels>();

function modelsOf(definition: ResourceDefinition, models: ResourceModels): FilterModels {
  const cached = filterModels.get(definition);
  if (cached) return cached;
  const custom = DERIVED_VIEWS.get(definition.collection)?.customFilter;
  if (!custom) throw new Error(`/${definition.path}/{Id} declares custom filtering its view lacks`);
  const narrowed = models.get(loadCatalog().resource(custom.narrows).schema);
  const fields: Record<string, FieldModel> = { [custom.periods]: { type: 'integer' } };
  const professional = new Set<string>();
  for (const name of custom.fields) {
    const field = Object.hasOwn(narrowed.fields, name) ? narrowed.fields[name] : undefined;
    if (field === undefined) professional.add(name);
    fields[name] = field ?? { type: 'string' };
  }
  const built: FilterModels = {
    custom,
    filter: { name: definition.schema, fields, expandable: {} },
    narrowed,
    professional,
  };
  filterModels.set(definition, built);
  return built;
}

function usage(
  definition: ResourceDefinition,
  custom: CustomFiltering,
  professional: ReadonlySet<string>,
): string {
  const fields = [custom.periods, ...custom.fields.filter((name) => !professional.has(name))];
  return `/${definition.path}/{Id} takes a ${FILTER} of conditions 'field eq value' joined by 'and', on the fields ${fields.join(', ')}.`;
}

/** The comparisons of a filter that is only `eq` conditions joined by `and`; anything else is a 400. */
function conditions(expression: FilterExpression, refuse: (problem: string) => never): Comparison[] {
  switch (expression.kind) {
    case 'and':
      return expression.operands.flatMap((operand) => conditions(operand, refuse));
    case 'compare':
      if (expression.operator !== 'eq')
        refuse(`the operator '${expression.operator}' (on '${expression.field}') is not supported`);
      return [expression];
    case 'or':
    case 'not':
      return refuse(`'${expression.kind}' is not supported`);
    case 'function':
      return refuse(`the function '${expression.name}' is not supported`);
    default: {
      const unknown: never = expression;
      throw new Error(`Unknown filter node ${String(unknown)}`);
    }
  }
}

/**
 * The custom filter of a read by id, and the query without it; undefined filter for a resource that takes none or
 * a request with no `$filter` (the record as the view keeps it). A filter it cannot take is a 400 naming the fields
 * and the form it takes.
 */
export function customFilterOf(
  definition: ResourceDefinition,
  search: URLSearchParams,
  models: ResourceModels,
): { filter: CustomFilter | undefined; search: URLSearchParams } {
  if (!definition.customFilter || !search.has(FILTER)) return { filter: undefined, search };
  const { custom, filter, narrowed, professional } = modelsOf(definition, models);
  const refuse = (problem: string): never => {
    throw new SageApiError(400, `Invalid ${FILTER}: ${problem}. ${usage(definition, custom, professional)}`);
  };
  const texts = search.getAll(FILTER);
  if (texts.length > 1) refuse('it is given more than once');
  let expression: FilterExpression | undefined;
  try {
    expression = parseQuery(new URLSearchParams({ [FILTER]: texts[0] ?? '' }), filter).filter;
  } catch (error) {
    if (error instanceof ODataError)
      throw new SageApiError(400, `${error.message} ${usage(definition, custom, professional)}`);
    throw error;
  }
  if (expression === undefined) return refuse('it is empty');
  let periods: number | undefined;
  const narrowing: Comparison[] = [];
  for (const condition of conditions(expression, refuse)) {
    const { field, value } = condition;
    if (professional.has(field)) {
      refuse(
        `'${field}' is a Sage 200 Professional field; Sage 200 Standard keeps analysis codes 1 to 5 only`,
      );
    }
    if (field !== custom.periods) {
      narrowing.push(condition);
      continue;
    }
    if (periods !== undefined) refuse(`'${field}' is given more than once`);
    if (value.type !== 'number' || !Number.isSafeInteger(value.value) || value.value < 1)
      refuse(`'${field}' must be a whole number of periods from 1`);
    periods = value.type === 'number' ? value.value : undefined;
  }
  const narrows: FilterExpression | undefined =
    narrowing.length === 0
      ? undefined
      : narrowing.length === 1
        ? narrowing[0]
        : { kind: 'and', operands: narrowing };
  const keeps = narrows === undefined ? () => true : compileFilter(narrows, narrowed);
  const rest = new URLSearchParams(search);
  rest.delete(FILTER);
  return { filter: periods === undefined ? { keeps } : { periods, keeps }, search: rest };
}

/** Reads and validates the OData query options of a collection request (https://developer.sage.com/200/guides/query-parameters). */

import { ODataError, type QueryOption } from './errors.ts';
import { compileFilter } from './filter-compiler.ts';
import { type FilterExpression, parseFilter } from './filter-parser.ts';
import { expandableOf, fieldOf, type OrderKey, type ResourceModel } from './model.ts';

/** One `$select` item: a field (or a whole expanded child), or `child.field` inside an expanded child. */
export type SelectItem =
  | { kind: 'property'; name: string }
  | { kind: 'child-property'; child: string; name: string };

/** One `$expand` item: a navigation property, and those to expand inside it (`contacts/emails`). */
export interface ExpandItem {
  name: string;
  expand: ExpandItem[];
}

/** `$metadata`: a description of the list in place of its records; `false` leaves out expandable fields. */
export type MetadataOption = 'with-expandable' | 'without-expandable';

/** A validated query, ready for runQuery, countQuery and project. */
export interface ODataQuery {
  filter?: FilterExpression;
  select?: SelectItem[];
  expand: ExpandItem[];
  orderby: OrderKey[];
  top: number;
  skip: number;
  count: boolean;
  metadata?: MetadataOption;
}

/** Page-size limits; Sage defaults `$top` to 500 and caps it at 5000 (Sage 200 query parameters guide). */
export interface QueryLimits {
  defaultTop: number;
  maxTop: number;
}

export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = { defaultTop: 500, maxTop: 5000 };

const SUPPORTED: ReadonlySet<string> = new Set<QueryOption>([
  '$filter',
  '$select',
  '$expand',
  '$orderby',
  '$top',
  '$skip',
  '$count',
  '$metadata',
]);

const DIGITS = /^\d+$/;
const WHITESPACE = /\s+/;

function optionError(option: QueryOption, problem: string): ODataError {
  return new ODataError(`The query option ${option} ${problem}`, { option });
}

function checkLimits(limits: { defaultTop?: number; maxTop?: number } | undefined): QueryLimits {
  const merged = { ...DEFAULT_QUERY_LIMITS, ...limits };
  const { defaultTop, maxTop } = merged;
  if (!Number.isSafeInteger(maxTop) || maxTop < 0 || !Number.isSafeInteger(defaultTop) || defaultTop < 0) {
    throw new RangeError(`Query limits must be non-negative integers, got ${JSON.stringify(merged)}`);
  }
  if (defaultTop > maxTop)
    throw new RangeError(`defaultTop (${defaultTop}) must not exceed maxTop (${maxTop})`);
  return merged;
}

/**
 * Validates the `$` options of a collection request against the resource model; other parameters are ignored.
 * Throws ODataError naming the option and the problem (the gateway answers 400).
 */
export function parseQuery(
  params: URLSearchParams,
  model: ResourceModel,
  limits?: { defaultTop?: number; maxTop?: number },
): ODataQuery {
  const { defaultTop, maxTop } = checkLimits(limits);
  const values = new Map<QueryOption, string>();
  for (const [name, value] of params) {
    if (!name.startsWith('$')) continue;
    if (!SUPPORTED.has(name)) {
      const lower = name.toLowerCase();
      const hint = SUPPORTED.has(lower) ? ` (option names are lowercase: ${lower})` : '';
      throw new ODataError(`The query option ${name} is not supported${hint}.`, { option: name });
    }
    const option = name as QueryOption;
    if (values.has(option)) throw optionError(option, 'was given more than once.');
    if (value.trim() === '') throw optionError(option, 'has an empty value.');
    values.set(option, value);
  }

  const expand = parseExpand(values.get('$expand'), model);
  const orderbyText = values.get('$orderby');
  const query: ODataQuery = {
    expand,
    orderby: orderbyText === undefined ? [] : parseOrderby(orderbyText, model),
    top: parseCount('$top', values.get('$top'), defaultTop, maxTop),
    skip: parseCount('$skip', values.get('$skip'), 0, Number.MAX_SAFE_INTEGER),
    count: parseBoolean('$count', values.get('$count')),
  };
  const metadata = values.get('$metadata');
  if (metadata !== undefined) {
    query.metadata = parseBoolean('$metadata', metadata) ? 'with-expandable' : 'without-expandable';
  }
  if (values.has('$skip') && orderbyText === undefined) {
    throw optionError('$skip', 'requires $orderby (Sage pages only over an explicit order).');
  }
  const filterText = values.get('$filter');
  if (filterText !== undefined) {
    query.filter = parseFilter(filterText, model);
    compileFilter(query.filter, model); // compiled and cached now, so runQuery reuses it
  }
  const selectText = values.get('$select');
  if (selectText !== undefined) query.select = parseSelect(selectText, model, expand);
  return query;
}

function parseCount(
  option: '$top' | '$skip',
  text: string | undefined,
  fallback: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!DIGITS.test(text) || !Number.isSafeInteger(value)) {
    throw optionError(option, `must be a non-negative whole number, not '${text}'.`);
  }
  if (value > max) throw optionError(option, `must be between 0 and ${max}, not ${text}.`);
  return value;
}

function parseBoolean(option: '$count' | '$metadata', text: string | undefined): boolean {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw optionError(option, `must be true or false, not '${text}'.`);
}

/** Comma-separated items, trimmed; an empty item is an error. */
function splitItems(option: QueryOption, text: string): string[] {
  return text.split(',').map((item, index) => {
    const trimmed = item.trim();
    if (trimmed === '') throw optionError(option, `has an empty item at position ${index + 1} in '${text}'.`);
    return trimmed;
  });
}

function unknownProperty(option: QueryOption, name: string, model: ResourceModel): ODataError {
  return optionError(
    option,
    `names '${name}': Could not find a property named '${name}' on type '${model.name}'.`,
  );
}

/**
 * `$expand` items, each a navigation property or a path of them (`contacts/emails`, OData's own form for a nested
 * expansion); the same path given twice, or a path and its prefix, expand once.
 */
function parseExpand(text: string | undefined, model: ResourceModel): ExpandItem[] {
  if (text === undefined) return [];
  const expand: ExpandItem[] = [];
  for (const item of splitItems('$expand', text)) {
    if (/[()$.]/.test(item)) {
      throw optionError('$expand', `names '${item}': expand options are not supported; nest with '/'.`);
    }
    let level = expand;
    let at = model;
    for (const name of item.split('/')) {
      const child = name === '' ? undefined : expandableOf(at, name);
      if (child === undefined) {
        const names = Object.keys(at.expandable);
        const allowed = names.length === 0 ? 'nothing can be expanded' : `expandable: ${names.join(', ')}`;
        throw optionError(
          '$expand',
          `names '${item}', but type '${at.name}' cannot expand '${name}' (${allowed}).`,
        );
      }
      let found = level.find((entry) => entry.name === name);
      if (found === undefined) {
        found = { name, expand: [] };
        level.push(found);
      }
      level = found.expand;
      at = child;
    }
  }
  return expand;
}

function parseOrderby(text: string, model: ResourceModel): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const item of splitItems('$orderby', text)) {
    const words = item.split(WHITESPACE);
    const [field = '', direction = 'asc'] = words;
    if (words.length > 2) throw optionError('$orderby', `item '${item}' must be 'property [asc|desc]'.`);
    const lower = direction.toLowerCase();
    if (lower !== 'asc' && lower !== 'desc') {
      throw optionError('$orderby', `item '${item}' has direction '${direction}'; use asc or desc.`);
    }
    if (/[./]/.test(field)) {
      throw optionError(
        '$orderby',
        `names '${field}': ordering by a property of a related object is not supported.`,
      );
    }
    const fieldModel = fieldOf(model, field);
    if (fieldModel === undefined) throw unknownProperty('$orderby', field, model);
    if (fieldModel.type === 'object' || fieldModel.type === 'array') {
      throw optionError(
        '$orderby',
        `names '${field}', which is ${fieldModel.type === 'object' ? 'an object' : 'an array'} and can't be ordered.`,
      );
    }
    if (keys.some((key) => key.field === field)) {
      throw optionError('$orderby', `names '${field}' more than once.`);
    }
    keys.push({ field, direction: lower });
  }
  return keys;
}

function parseSelect(text: string, model: ResourceModel, expand: readonly ExpandItem[]): SelectItem[] {
  const select: SelectItem[] = [];
  const seen = new Set<string>();
  for (const item of splitItems('$select', text)) {
    if (item.includes('*'))
      throw optionError('$select', `'${item}': wildcards are not supported; list the fields.`);
    if (item.includes('/'))
      throw optionError('$select', `'${item}': write properties of expanded objects as child.field.`);
    if (seen.has(item)) continue;
    seen.add(item);
    select.push(selectItem(item, model, expand));
  }
  return select;
}

function selectItem(item: string, model: ResourceModel, expand: readonly ExpandItem[]): SelectItem {
  const parts = item.split('.');
  const [first = '', second] = parts;
  if (parts.length > 2)
    throw optionError('$select', `'${item}': only one level of child.field is supported.`);
  const child = expandableOf(model, first);
  const expanded = expand.find((entry) => entry.name === first);
  if (second === undefined) {
    if (fieldOf(model, first) !== undefined) return { kind: 'property', name: first };
    if (child === undefined) throw unknownProperty('$select', first, model);
    if (expanded === undefined) {
      throw optionError(
        '$select',
        `names '${first}', which is only returned when expanded; add $expand=${first}.`,
      );
    }
    return { kind: 'property', name: first };
  }
  if (child === undefined) {
    if (fieldOf(model, first) === undefined) throw unknownProperty('$select', first, model);
    throw optionError(
      '$select',
      `names '${item}', but '${first}' on type '${model.name}' is not expandable.`,
    );
  }
  // An inline object is served whether expanded or not, so its fields can be selected either way.
  if (!child.embedded && expanded === undefined) {
    throw optionError(
      '$select',
      `names '${item}', so '${first}' must be expanded too; add $expand=${first}.`,
    );
  }
  // `contacts.salutation` keeps a navigation property expanded inside the child (`$expand=contacts/salutation`).
  const nested = expanded?.expand.some((entry) => entry.name === second) ?? false;
  if (fieldOf(child, second) === undefined && !nested) {
    if (expandableOf(child, second) !== undefined) {
      throw optionError(
        '$select',
        `names '${item}', so '${first}/${second}' must be expanded too; add $expand=${first}/${second}.`,
      );
    }
    throw unknownProperty('$select', second, child);
  }
  return { kind: 'child-property', child: first, name: second };
}

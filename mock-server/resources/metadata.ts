/**
 * `$metadata` on a list: its field names, types and sort information, from the resource's model (itself read from
 * the contract); `$metadata=false` leaves out the expandable fields (https://developer.sage.com/200/guides/query-parameters).
 */
import type { ResourceDefinition } from '../../contracts/index.ts';
import type { FieldModel, MetadataOption, ResourceModel } from '../odata/index.ts';

/** One field as `$metadata` describes it. */
export interface FieldMetadata {
  name: string;
  type: FieldModel['type'];
  nullable: boolean;
  /** Whether `$orderby` takes it. */
  sortable: boolean;
  /** Filled in with `$expand`, or (an inline object) accepted by it. */
  expandable: boolean;
  /** The Sage enum names it holds, for an enum field. */
  enum?: string[];
}

/** The body of a list GET with `$metadata` (the contract's `ODataMetadata`). */
export interface ListMetadata {
  /** Sage's singular name of one record (`customer`). */
  name: string;
  /** The field that identifies a record. */
  key: string;
  fields: FieldMetadata[];
  /** The order of the list without `$orderby`: empty when it is the records' stored order, by key. */
  default_order: { field: string; direction: 'asc' | 'desc' }[];
}

const cache = new WeakMap<ResourceDefinition, Map<MetadataOption, ListMetadata>>();

/** The description of a list; built once per list and option. */
export function listMetadata(
  model: ResourceModel,
  definition: ResourceDefinition,
  option: MetadataOption,
): ListMetadata {
  let byOption = cache.get(definition);
  if (!byOption) {
    byOption = new Map();
    cache.set(definition, byOption);
  }
  let found = byOption.get(option);
  if (!found) {
    found = describe(model, definition, option === 'with-expandable');
    byOption.set(option, found);
  }
  return found;
}

function describe(model: ResourceModel, definition: ResourceDefinition, expandable: boolean): ListMetadata {
  const fields: FieldMetadata[] = [];
  for (const [name, field] of Object.entries(model.fields)) {
    const isExpandable = Object.hasOwn(model.expandable, name);
    if (isExpandable && !expandable) continue;
    const scalar = field.type !== 'object' && field.type !== 'array';
    fields.push({
      name,
      type: field.type,
      nullable: field.nullable === true,
      sortable: scalar,
      expandable: isExpandable,
      ...(field.enumValues ? { enum: Object.keys(field.enumValues) } : {}),
    });
  }
  if (expandable) {
    for (const name of Object.keys(model.expandable)) {
      if (Object.hasOwn(model.fields, name)) continue;
      const many = definition.expand[name]?.many === true;
      fields.push({
        name,
        type: many ? 'array' : 'object',
        nullable: false,
        sortable: false,
        expandable: true,
      });
    }
  }
  return {
    name: definition.noun,
    key: definition.key,
    fields,
    default_order: (model.defaultOrder ?? []).map(({ field, direction }) => ({ field, direction })),
  };
}

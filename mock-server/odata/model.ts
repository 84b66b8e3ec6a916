/** Describes one Sage resource to the OData layer: field types, expandable children, default order. */

/** JSON-schema-like type of one Sage field, as the vendored OpenAPI files declare it. */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'object' | 'array';

/** One field of a Sage schema. */
export interface FieldModel {
  type: FieldType;
  nullable?: boolean;
  /** enum name -> numeric value, for Sage enum fields like trader_transaction_type */
  enumValues?: Readonly<Record<string, number>>;
}

/** One key of `$orderby` or of a resource's documented default sort. */
export interface OrderKey {
  field: string;
  direction: 'asc' | 'desc';
}

/** What the query layer knows about one Sage resource (https://developer.sage.com/200/guides/query-parameters). */
export interface ResourceModel {
  /** Sage schema name, used in messages, e.g. 'customer' */
  name: string;
  fields: Readonly<Record<string, FieldModel>>;
  /** navigation properties that $expand accepts, with the model of the expanded record */
  expandable: Readonly<Record<string, ResourceModel>>;
  /** an object the parent record holds inline (`main_address`): served whether expanded or not */
  embedded?: boolean;
  /** the order used when $orderby is absent (Sage documents defaults for some views); otherwise storage order */
  defaultOrder?: readonly OrderKey[];
}

/** The field's model, or undefined; guards against inherited names such as 'constructor'. */
export function fieldOf(model: ResourceModel, name: string): FieldModel | undefined {
  return Object.hasOwn(model.fields, name) ? model.fields[name] : undefined;
}

/** The expandable child's model, or undefined. */
export function expandableOf(model: ResourceModel, name: string): ResourceModel | undefined {
  return Object.hasOwn(model.expandable, name) ? model.expandable[name] : undefined;
}

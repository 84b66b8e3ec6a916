/** OData resource models (field types, expandable navigation properties) built from the contract's schemas. */

import { isDateSchema, type ResourceCatalog } from '../../contracts/index.ts';
import type { FieldModel, FieldType, ResourceModel } from '../odata/index.ts';

/** The parts of an OpenAPI 3.1 schema object the models read. */
export interface SchemaNode {
  type?: string | string[];
  format?: string;
  $ref?: string;
  allOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  'x-sage-expandable'?: boolean;
  'x-sandbox-enum'?: string;
  enum?: readonly unknown[];
}

export interface ContractSchemas {
  components: { schemas: Record<string, SchemaNode> };
}

export class ResourceModels {
  readonly #models = new Map<string, ResourceModel>();

  readonly #defaultOrders = new Map<string, ResourceModel['defaultOrder']>();

  constructor(
    private readonly contract: ContractSchemas,
    private readonly catalog: ResourceCatalog,
  ) {
    for (const resource of catalog.resources) {
      if (resource.defaultOrder) this.#defaultOrders.set(resource.schema, resource.defaultOrder);
    }
  }

  /** The model of a component schema, e.g. `Customer`. */
  get(schemaName: string): ResourceModel {
    const cached = this.#models.get(schemaName);
    if (cached) return cached;
    const schema = this.contract.components.schemas[schemaName];
    const properties = schema && this.#properties(schema);
    if (!properties) throw new Error(`contract has no object schema named ${schemaName}`);
    const model: ResourceModel = { name: schemaName, fields: {}, expandable: {} };
    const defaultOrder = this.#defaultOrders.get(schemaName);
    if (defaultOrder) model.defaultOrder = defaultOrder;
    this.#models.set(schemaName, model);
    this.#fill(model, properties);
    return model;
  }

  /**
   * Fields and expandable children from a schema's properties. An inline object, or array of objects, is both a
   * field (of type object or array) and an embedded child, whose own fields `$select` reaches with `child.field`.
   */
  #fill(model: ResourceModel, properties: Record<string, SchemaNode>): void {
    const fields = model.fields as Record<string, FieldModel>;
    const expandable = model.expandable as Record<string, ResourceModel>;
    for (const [name, property] of Object.entries(properties)) {
      // An expandable array (an order's `lines`) expands like a navigation property.
      const target =
        refTarget(property) ??
        (property['x-sage-expandable'] === true && property.items ? refTarget(property.items) : undefined);
      if (target !== undefined) {
        expandable[name] = this.get(target);
        continue;
      }
      fields[name] = fieldModel(property, this.catalog);
      const inline = property.items ?? property;
      if (inline.properties !== undefined) {
        const child: ResourceModel = {
          name: `${model.name}.${name}`,
          fields: {},
          expandable: {},
          embedded: true,
        };
        this.#fill(child, inline.properties);
        expandable[name] = child;
      }
    }
  }

  /** A schema's properties, with those of its `allOf` parts (`Customer` takes them from `CustomerFields`). */
  #properties(schema: SchemaNode): Record<string, SchemaNode> | undefined {
    if (!schema.allOf) return schema.properties;
    const merged: Record<string, SchemaNode> = {};
    for (const part of schema.allOf) {
      const target = part.$ref === undefined ? part : this.contract.components.schemas[refTarget(part) ?? ''];
      Object.assign(merged, target && this.#properties(target));
    }
    return { ...merged, ...schema.properties };
  }
}

function refTarget(node: SchemaNode): string | undefined {
  const ref = node.$ref ?? node.allOf?.find((part) => part.$ref)?.$ref;
  return ref?.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
}

function fieldModel(node: SchemaNode, catalog: ResourceCatalog): FieldModel {
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  const nullable = types.includes('null');
  const base = types.find((t) => t !== 'null') ?? 'object';
  const type: FieldType = base === 'string' && isDateSchema(node) ? 'date-time' : (base as FieldType);
  const field: FieldModel = { type };
  if (nullable) field.nullable = true;
  const members = type === 'string' ? catalog.fieldMembers(node) : undefined;
  if (members) field.enumValues = Object.fromEntries(members.map((m) => [m.value, m.id]));
  return field;
}

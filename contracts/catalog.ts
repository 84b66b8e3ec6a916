/**
 * The resource catalog: what the server needs to know about each Sage 200 resource, read from the contract and
 * nowhere else. Paths and verbs come from `paths`; the record schema from the list's 200 response; navigation
 * properties from `x-sage-expandable` properties with their `x-sandbox-foreign-key`; everything OpenAPI has no
 * word for (Sage module, singular noun, record key, indexes, default order) from `x-sandbox-resource` on the path
 * item; enum members from the `enum` schemas' `x-sandbox-members`. `contracts/README.md` lists the extensions.
 */
import {
  ContractError,
  isDateSchema,
  type OpenApiDocument,
  objectSchema,
  type ResponseObject,
  resolvePointer,
  type SchemaObject,
} from './openapi-document.ts';

/** A Sage 200 module a user's role or the company's licence can lack (`x-sandbox-modules`). */
export interface ModuleDefinition {
  readonly id: string;
  /** How Sage names the module in a 403 (`Sales Ledger`). */
  readonly name: string;
  /** The `/licence` flag that reports it (`is_sales_enabled`). */
  readonly licence: string;
}

/** A navigation property `$expand` resolves. */
export interface ExpandDefinition {
  readonly collection: string;
  /** The parent's field holding the expanded record's id; with `many`, the child's field holding the parent's. */
  readonly foreignKey: string;
  /** An array of child records (an order's `lines`), not one record. */
  readonly many?: true;
  /** The path of the resource serving the related records, whose own navigation properties nest under this one. */
  readonly resource: string;
}

/**
 * An object or array of objects a record holds inline (a customer's `main_address`): always served, so `$expand`
 * of it changes nothing, but navigation properties declared inside it expand (`main_address/address_country_code`).
 */
export interface EmbeddedDefinition {
  readonly many?: true;
  readonly expand: Readonly<Record<string, ExpandDefinition>>;
  readonly embedded: Readonly<Record<string, EmbeddedDefinition>>;
}

export interface OrderKeyDefinition {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

/** One member of a Sage enumeration, as its list endpoint serves it. */
export interface EnumMember {
  readonly id: number;
  readonly value: string;
  readonly description: string;
}

export interface ResourceDefinition {
  /**
   * The path without its leading slash: `customers`; for a collection no path serves (`x-sandbox-collections`, such
   * as a nominal code's `financial_years`), its name, with neither `list` nor `byId`.
   */
  readonly path: string;
  /** The table holding its records; the path unless `x-sandbox-resource.collection` says otherwise. */
  readonly collection: string;
  /** The component schema of one record. */
  readonly schema: string;
  /** Sage's singular name, for messages (`customer`). */
  readonly noun: string;
  /** The Sage modules a user's role needs for it (all of them), and that the licence reports. */
  readonly modules: readonly string[];
  /** The field that identifies a record (`id`, or a view's own id field). */
  readonly key: string;
  /** Fields with an index: foreign keys and codes that filters pin with `eq`. */
  readonly indexes: readonly string[];
  /** Date-time fields with a sorted index: those integrations filter with `gt`/`ge`/`lt`/`le` and order by. */
  readonly rangeIndexes: readonly string[];
  readonly list: boolean;
  readonly byId: boolean;
  readonly expand: Readonly<Record<string, ExpandDefinition>>;
  /** Inline objects and arrays of objects (contracts/README.md, "Navigation properties"). */
  readonly embedded: Readonly<Record<string, EmbeddedDefinition>>;
  readonly defaultOrder?: readonly OrderKeyDefinition[];
  /**
   * An enumeration list (`/account_status_types`): its records are the members its schema's `value` declares,
   * the same in every company.
   */
  readonly enumeration: boolean;
  /**
   * A view over another collection (`/lookup_customers` over `customers`): its records are projected from the
   * source's, live, field by field (`x-sandbox-from` names a source field or `object.field`; an integer field fed
   * by an enum takes the member's id; a first part naming a navigation property of the source follows its foreign
   * key), or `nominal_entries` (NOMINAL_LEDGER), the company's nominal ledger.
   */
  readonly viewOf?: string;
  /** The source records a view keeps (`view-where`): each condition must hold; without it, every record. */
  readonly viewWhere?: readonly ViewCondition[];
  /** Fields read live from related records when the collection is read (`x-sandbox-lookup`). */
  readonly lookups?: readonly LookupDefinition[];
  /**
   * A view derived from other collections at read time (`/customer_views`, `/sales_aged_debtor_detailed_views`):
   * the collections its rows are computed from, so it is computed again only when one of them changes.
   */
  readonly derivedFrom?: readonly string[];
  /** The list takes Sage's `$ageingdatetype` (its GET declares the `AgeingDateType` parameter). */
  readonly ageing: boolean;
  /** The list takes Sage's `$periodnumber` (its GET declares the `PeriodNumber` parameter). */
  readonly periodNumber: boolean;
  /**
   * The record by id takes Sage's custom filtering in `$filter` (its GET declares the `TradingFiguresFilter`
   * parameter): fields the record lacks, read by its derived view (stock.json's trading figures).
   */
  readonly customFilter: boolean;
  /** A `current_user_*` list: only the records whose field (`user_number`) is the signed-in user's id. */
  readonly currentUser?: string;
  /**
   * A view whose list filters only on the fields Sage names (`filter-fields`, `/sop_despatch_discrete_orders`), each
   * read from its source record (`customer_id`) or from the source's children (`lines.warehouse_id`): a record is
   * kept when the filter holds for one of its children.
   */
  readonly filterFields?: Readonly<Record<string, string>>;
}

/** One condition of `view-where`: a source field compared with a literal (`{lt: '2026-01-01T00:00:00'}`). */
export interface ViewCondition {
  readonly field: string;
  readonly operator: ViewOperator;
  readonly value: string | number | boolean | null;
}

/**
 * A field filled from a related record (`x-sandbox-lookup: [product_id, products, stock_unit_id,
 * lookup_stock_item_units, name]`): follow each id field to its collection's record, then read the last field.
 */
export interface LookupDefinition {
  readonly field: string;
  readonly hops: readonly { readonly via: string; readonly collection: string }[];
  readonly from: string;
}

export type ViewOperator = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

const VIEW_OPERATORS: readonly ViewOperator[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

/**
 * A collection reached through its parent (`/customers/{customerId}/customer_contacts`), or through its parent and
 * the parent's own parent (`/customers/{customerId}/customer_contacts/{CustomerContactId}/customer_emails`).
 */
export interface NestedDefinition {
  readonly parent: string;
  readonly param: string;
  readonly child: string;
  readonly foreignKey: string;
  /** Sage also offers `/{parent}/{param}/{child}/{Id}`. */
  readonly byId: boolean;
  /**
   * Parents enclosing `parent`, outermost first. Where the path item's `x-sandbox-foreign-key` is a list, one per
   * parent (`/warehouses/{warehouseId}/products/{productId}/warehouse_holdings`), the child's `foreignKey` field holds
   * each one's id (`on: 'child'`); where it names the child's link alone
   * (`/customers/{customerId}/customer_contacts/{CustomerContactId}/customer_emails`), the parent belongs to its outer
   * parent by the link the one-level path `/{outer}/{param}/{parent}` declares (`on: 'parent'`).
   */
  readonly outer: readonly {
    readonly parent: string;
    readonly param: string;
    readonly foreignKey: string;
    readonly on: 'child' | 'parent';
  }[];
  /**
   * Children reached through another collection (`/products/{productId}/warehouses` through `warehouse_holdings`):
   * the records of `collection` whose `foreignKey` is the parent's id name the children in their field `key`.
   */
  readonly through?: { readonly collection: string; readonly key: string };
}

/** What makes a record field an enum: its own `enum`, or `x-sandbox-enum` naming an enumeration list. */
export interface EnumField {
  readonly enum?: readonly unknown[];
  readonly 'x-sandbox-enum'?: unknown;
}

export interface ResourceCatalog {
  readonly resources: readonly ResourceDefinition[];
  readonly nested: readonly NestedDefinition[];
  readonly modules: ReadonlyMap<string, ModuleDefinition>;
  /**
   * The modules a path needs: its resource's, or the path item's own `x-sandbox-module` (an action such as
   * `/sales_invoices`); empty for company-wide paths.
   */
  pathModules(path: string): readonly string[];
  /** Whether the contract serves anything of a module: what `/licence` reports. */
  serves(module: string): boolean;
  /** The resource served at `path` (no leading slash); throws when the contract has none. */
  resource(path: string): ResourceDefinition;
  /** The members of an enumeration list (by path), in declaration order. */
  members(path: string): readonly EnumMember[];
  /**
   * The members a record field may hold: the enumeration list its `x-sandbox-enum` names, or its own `enum`
   * (numbered in order); undefined for a field that is no enum.
   */
  fieldMembers(property: EnumField): readonly EnumMember[] | undefined;
}

const SCHEMA_PREFIX = '#/components/schemas/';

/**
 * The one source a view may name that is no resource: the company's nominal ledger (its nominal entries, as the
 * posting engine records them), which `/nominal_transaction_enquiry_views` shows row by row.
 */
export const NOMINAL_LEDGER = 'nominal_entries';

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(where: string, message: string): never {
  throw new ContractError(`contract ${where}: ${message}`);
}

function schemaName(ref: string | undefined): string | undefined {
  return ref?.startsWith(SCHEMA_PREFIX) ? ref.slice(SCHEMA_PREFIX.length) : undefined;
}

/** The record schema a list or record GET answers with (an array's items; `$count`'s integer alternative aside). */
function recordSchemaOf(response: SchemaObject | undefined): string | undefined {
  if (!response) return undefined;
  if (response.$ref) return schemaName(response.$ref);
  if (response.items?.$ref) return schemaName(response.items.$ref);
  for (const option of response.oneOf ?? []) {
    const found = recordSchemaOf(option);
    if (found) return found;
  }
  return undefined;
}

function okSchema(doc: OpenApiDocument, path: string): SchemaObject | undefined {
  const declared = doc.paths[path]?.get?.responses['200'];
  const response = declared && '$ref' in declared ? resolvePointer(doc, declared.$ref) : declared;
  return (response as ResponseObject | undefined)?.content?.['application/json']?.schema;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    fail(where, 'must be a list of strings');
  return value as string[];
}

function parseModules(doc: OpenApiDocument): Map<string, ModuleDefinition> {
  const raw = doc['x-sandbox-modules'];
  if (!isRecord(raw)) fail('x-sandbox-modules', 'must map module ids to { name, licence }');
  const modules = new Map<string, ModuleDefinition>();
  for (const [id, value] of Object.entries(raw)) {
    if (!isRecord(value) || typeof value.name !== 'string' || typeof value.licence !== 'string') {
      fail(`x-sandbox-modules.${id}`, 'needs a name and a licence flag');
    }
    modules.set(id, { id, name: value.name, licence: value.licence });
  }
  return modules;
}

function parseOrder(value: unknown, where: string): OrderKeyDefinition[] | undefined {
  if (value === undefined) return undefined;
  return stringList(value, where).map((key) => {
    const [field, direction = 'asc', extra] = key.split(' ');
    if (!field || extra !== undefined || (direction !== 'asc' && direction !== 'desc')) {
      fail(where, `'${key}' is not 'field asc' or 'field desc'`);
    }
    return { field, direction };
  });
}

/** The properties of a record schema and of the `...Fields` schema it is built on. */
function propertiesOf(doc: OpenApiDocument, schema: string): Readonly<Record<string, SchemaObject>> {
  const declared = doc.components.schemas[schema];
  if (!declared) fail(`components.schemas`, `has no schema ${schema}`);
  return objectSchema(doc, declared).properties ?? {};
}

/** A list of the record schema's date fields: business dates (`date-time-local`) and timestamps (`date-time`). */
function dateFields(doc: OpenApiDocument, schema: string, value: unknown, where: string): string[] {
  const fields = stringList(value, where);
  const properties = propertiesOf(doc, schema);
  for (const field of fields) {
    const declared = properties[field];
    if (!declared || !isDateSchema(declared)) fail(where, `${field} is no date field of ${schema}`);
  }
  return fields;
}

/** An enumeration's members: the `enum` of its record schema's `value`, described by `x-sandbox-members`. */
function parseMembers(doc: OpenApiDocument, schema: string): EnumMember[] {
  const where = `components.schemas.${schema}.properties.value`;
  const declared = propertiesOf(doc, schema).value;
  if (!declared) fail(where, 'is missing');
  const values = declared.enum;
  const details = declared['x-sandbox-members'];
  if (!Array.isArray(values) || !isRecord(details)) fail(where, 'needs enum and x-sandbox-members');
  const described = Object.keys(details);
  if (described.join() !== values.join()) {
    fail(where, `x-sandbox-members must describe exactly the enum's members, in order`);
  }
  return values.map((value) => {
    const member = details[String(value)];
    if (!isRecord(member) || typeof member.id !== 'number' || typeof member.description !== 'string') {
      fail(`${where}.x-sandbox-members.${String(value)}`, 'needs an id and a description');
    }
    return { id: member.id, value: String(value), description: member.description };
  });
}

const isLiteral = (value: unknown): value is ViewCondition['value'] =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** `view-where`: field to a literal (equal to it) or to `{operator: literal}`, each field of the source schema. */
function parseViewWhere(
  doc: OpenApiDocument,
  source: string,
  value: unknown,
  where: string,
): ViewCondition[] {
  if (!isRecord(value)) fail(where, 'must map source fields to a literal or {operator: literal}');
  const fields = propertiesOf(doc, source);
  return Object.entries(value).flatMap(([field, test]): ViewCondition[] => {
    if (!fields[field]) fail(where, `${field} is no field of ${source}`);
    if (isLiteral(test)) return [{ field, operator: 'eq', value: test }];
    if (!isRecord(test)) fail(`${where}.${field}`, 'must be a literal or {operator: literal}');
    return Object.entries(test).map(([operator, literal]) => {
      if (!VIEW_OPERATORS.includes(operator as ViewOperator))
        fail(`${where}.${field}`, `${operator} is not one of ${VIEW_OPERATORS.join(', ')}`);
      if (!isLiteral(literal)) fail(`${where}.${field}.${operator}`, 'must be a literal');
      return { field, operator: operator as ViewOperator, value: literal };
    });
  });
}

/** The record schema's `x-sandbox-lookup` fields: `[via, collection, (via, collection)..., field]`. */
function parseLookups(
  doc: OpenApiDocument,
  schema: string,
  collections: ReadonlySet<string>,
): LookupDefinition[] {
  const lookups: LookupDefinition[] = [];
  for (const [field, property] of Object.entries(propertiesOf(doc, schema))) {
    const raw = property['x-sandbox-lookup'];
    if (raw === undefined) continue;
    const where = `components.schemas.${schema}.${field}.x-sandbox-lookup`;
    const steps = stringList(raw, where);
    if (steps.length < 3 || steps.length % 2 === 0)
      fail(where, 'must be [id field, collection, (id field, collection)..., field]');
    const hops = [];
    for (let i = 0; i + 1 < steps.length; i += 2) {
      const collection = steps[i + 1]!;
      if (!collections.has(collection)) fail(where, `${collection} is no collection of the contract`);
      hops.push({ via: steps[i]!, collection });
    }
    lookups.push({ field, hops, from: steps[steps.length - 1]! });
  }
  return lookups;
}

const AGEING_PARAMETER = '#/components/parameters/AgeingDateType';
const PERIOD_NUMBER_PARAMETER = '#/components/parameters/PeriodNumber';
const CUSTOM_FILTER_PARAMETER = '#/components/parameters/TradingFiguresFilter';

/** Whether a path's GET declares the parameter `ref` points to. */
function declaresParameter(doc: OpenApiDocument, path: string, ref: string): boolean {
  return (doc.paths[path]?.get?.parameters ?? []).some((p) => '$ref' in p && p.$ref === ref);
}

/** A mapping of names to strings (`filter-fields: {trader_id: customer_id}`). */
function stringMap(value: unknown, where: string): Record<string, string> {
  if (!isRecord(value)) fail(where, 'must map names to strings');
  const map: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== 'string') fail(`${where}.${name}`, 'must be a string');
    map[name] = text;
  }
  return map;
}

/** A `module` value (one id or a list) checked against `x-sandbox-modules`. */
function moduleList(value: unknown, modules: ReadonlyMap<string, ModuleDefinition>, where: string): string[] {
  const list = typeof value === 'string' ? [value] : stringList(value, where);
  for (const id of list) if (!modules.has(id)) fail(where, `module ${id} is not in x-sandbox-modules`);
  return list;
}

/** Builds the catalog from a parsed contract; a missing or contradictory fact is a ContractError naming it. */
export function resourceCatalog(doc: OpenApiDocument): ResourceCatalog {
  const modules = parseModules(doc);
  const resources: ResourceDefinition[] = [];
  const byPath = new Map<string, ResourceDefinition>();
  const memberCache = new Map<string, readonly EnumMember[]>();

  for (const [pathKey, item] of Object.entries(doc.paths)) {
    const raw = item['x-sandbox-resource'];
    if (raw === undefined) continue;
    const where = `paths.${pathKey}.x-sandbox-resource`;
    if (!isRecord(raw)) fail(where, 'must be a mapping');
    const byIdPath = pathKey.endsWith('/{Id}');
    const path = (byIdPath ? pathKey.slice(0, -'/{Id}'.length) : pathKey).slice(1);
    if (path.includes('/')) fail(where, 'belongs on a top-level list or record path');
    const list = doc.paths[`/${path}`]?.get !== undefined;
    const byId = doc.paths[`/${path}/{Id}`]?.get !== undefined;
    if (byIdPath && list) fail(where, `belongs on /${path}, the list path`);
    const schema = recordSchemaOf(okSchema(doc, list ? `/${path}` : `/${path}/{Id}`));
    if (!schema) fail(where, 'the GET answers no component schema');
    if (typeof raw.noun !== 'string') fail(where, 'needs a noun');
    const enumeration = raw.enumeration ?? false;
    if (typeof enumeration !== 'boolean') fail(where, 'enumeration is true or false');
    const defaultOrder = parseOrder(raw['default-order'], `${where}.default-order`);
    const derivedFrom = raw['derived-from'];
    const definition: ResourceDefinition = {
      path,
      collection: typeof raw.collection === 'string' ? raw.collection : path,
      schema,
      noun: raw.noun,
      modules: moduleList(raw.module, modules, `${where}.module`),
      key: typeof raw.key === 'string' ? raw.key : 'id',
      indexes: stringList(raw.indexes, `${where}.indexes`),
      rangeIndexes: dateFields(doc, schema, raw['range-indexes'], `${where}.range-indexes`),
      list,
      byId,
      expand: {},
      embedded: {},
      ...(defaultOrder ? { defaultOrder } : {}),
      enumeration,
      ...(typeof raw['view-of'] === 'string' ? { viewOf: raw['view-of'] } : {}),
      ...(derivedFrom === undefined ? {} : { derivedFrom: stringList(derivedFrom, `${where}.derived-from`) }),
      ageing: list && declaresParameter(doc, `/${path}`, AGEING_PARAMETER),
      periodNumber: list && declaresParameter(doc, `/${path}`, PERIOD_NUMBER_PARAMETER),
      customFilter: byId && declaresParameter(doc, `/${path}/{Id}`, CUSTOM_FILTER_PARAMETER),
      ...(typeof raw['current-user'] === 'string' ? { currentUser: raw['current-user'] } : {}),
      ...(raw['filter-fields'] === undefined
        ? {}
        : { filterFields: stringMap(raw['filter-fields'], `${where}.filter-fields`) }),
    };
    if (byPath.has(path)) fail(where, `/${path} is described twice`);
    byPath.set(path, definition);
    resources.push(definition);
  }

  // Collections no path serves: a company keeps them, and navigation properties expand to them.
  const unserved = doc['x-sandbox-collections'];
  if (unserved !== undefined && !isRecord(unserved))
    fail('x-sandbox-collections', 'must map collection names to { noun, schema }');
  for (const [name, raw] of Object.entries(unserved ?? {})) {
    const where = `x-sandbox-collections.${name}`;
    if (!isRecord(raw) || typeof raw.noun !== 'string' || typeof raw.schema !== 'string')
      fail(where, 'needs a noun and a schema');
    if (byPath.has(name)) fail(where, `${name} is already a resource`);
    propertiesOf(doc, raw.schema);
    const derivedFrom = raw['derived-from'];
    const definition: ResourceDefinition = {
      path: name,
      collection: name,
      schema: raw.schema,
      noun: raw.noun,
      modules: moduleList(raw.module, modules, `${where}.module`),
      key: 'id',
      indexes: stringList(raw.indexes, `${where}.indexes`),
      rangeIndexes: [],
      list: false,
      byId: false,
      expand: {},
      embedded: {},
      enumeration: false,
      // A view only a nested path serves (`/pop_order_lines/{lineId}/pop_linked_order_lines`).
      ...(derivedFrom === undefined ? {} : { derivedFrom: stringList(derivedFrom, `${where}.derived-from`) }),
      ageing: false,
      periodNumber: false,
      customFilter: false,
    };
    byPath.set(name, definition);
    resources.push(definition);
  }

  const stored = new Set(resources.filter((r) => !r.viewOf && !r.derivedFrom).map((r) => r.collection));
  for (const resource of resources) {
    const where = `paths./${resource.path}.x-sandbox-resource`;
    for (const source of resource.derivedFrom ?? []) {
      if (!stored.has(source))
        fail(`${where}.derived-from`, `${source} is no stored collection of the contract`);
    }
    if (resource.viewOf !== undefined && resource.derivedFrom !== undefined) {
      fail(where, 'a view is either view-of one collection or derived-from several, not both');
    }
    if (resource.filterFields !== undefined && resource.viewOf === undefined) {
      fail(where, 'filter-fields reads the fields from the source of a view: it needs view-of');
    }
    if (resource.customFilter && resource.derivedFrom === undefined) {
      fail(
        where,
        'custom filtering ($filter on a record by id) is read by a derived view: it needs derived-from',
      );
    }
    if (
      resource.viewOf !== undefined &&
      resource.viewOf !== NOMINAL_LEDGER &&
      !resources.some((r) => r.collection === resource.viewOf && !r.viewOf)
    ) {
      fail(
        `paths./${resource.path}.x-sandbox-resource`,
        `view-of ${resource.viewOf} is no collection of the contract`,
      );
    }
  }
  for (const [pathKey, item] of Object.entries(doc.paths)) {
    const raw = item['x-sandbox-resource'];
    if (!isRecord(raw) || raw['view-where'] === undefined) continue;
    const where = `paths.${pathKey}.x-sandbox-resource.view-where`;
    const view = byPath.get(pathKey.slice(1).replace(/\/\{Id\}$/, ''));
    const source = resources.find((r) => r.collection === view?.viewOf && !r.viewOf);
    if (!view || !source) fail(where, 'belongs to a view (view-of)');
    const viewWhere = parseViewWhere(doc, source.schema, raw['view-where'], where);
    const filtered: ResourceDefinition = { ...view, viewWhere };
    resources[resources.indexOf(view)] = filtered;
    byPath.set(view.path, filtered);
  }

  const collections = new Set(resources.map((r) => r.collection));
  for (const [index, resource] of resources.entries()) {
    const lookups = parseLookups(doc, resource.schema, collections);
    if (lookups.length === 0) continue;
    if (resource.viewOf !== undefined)
      fail(`components.schemas.${resource.schema}`, 'a view cannot have lookups');
    const joined: ResourceDefinition = { ...resource, lookups };
    resources[index] = joined;
    byPath.set(resource.path, joined);
  }

  // Navigation properties name their target by schema: find the resource that serves it. A collection no path
  // serves that shares a served resource's schema (the drafts of `sop_order_drafts`) never takes its place.
  const bySchema = new Map<string, ResourceDefinition>();
  const isServed = (r: ResourceDefinition): boolean => r.list !== false || r.byId;
  const claim = (name: string, resource: ResourceDefinition): void => {
    const held = bySchema.get(name);
    if (!held || isServed(resource) || !isServed(held)) bySchema.set(name, resource);
  };
  for (const resource of resources) {
    claim(resource.schema, resource);
    const fields = doc.components.schemas[resource.schema]?.allOf?.[0]?.$ref;
    const base = schemaName(fields);
    if (base) claim(base, resource);
  }
  /** The navigation properties and inline objects of a set of properties, `where` naming them in errors. */
  const navigation = (
    properties: Readonly<Record<string, SchemaObject>>,
    where: string,
  ): Pick<EmbeddedDefinition, 'expand' | 'embedded'> => {
    const expand: Record<string, ExpandDefinition> = {};
    const embedded: Record<string, EmbeddedDefinition> = {};
    for (const [name, property] of Object.entries(properties)) {
      const at = `${where}.${name}`;
      const many = property.type === 'array';
      if (property['x-sage-expandable'] === true) {
        const target = schemaName(many ? property.items?.$ref : property.$ref);
        const targetResource = target === undefined ? undefined : bySchema.get(target);
        if (!targetResource) fail(at, `expands to ${String(target)}, which no resource serves`);
        const foreignKey = property['x-sandbox-foreign-key'];
        if (typeof foreignKey !== 'string') fail(at, 'needs x-sandbox-foreign-key');
        // The children are found through an index of their table: without one there is nothing to look them up by.
        if (many && !targetResource.indexes.includes(foreignKey)) {
          fail(at, `x-sandbox-foreign-key ${foreignKey} must be one of /${targetResource.path}'s indexes`);
        }
        expand[name] = {
          collection: targetResource.collection,
          foreignKey,
          ...(many ? { many: true } : {}),
          resource: targetResource.path,
        };
        continue;
      }
      const inline = many ? property.items : property;
      if (inline?.properties === undefined || inline.$ref !== undefined) continue;
      embedded[name] = { ...(many ? { many: true } : {}), ...navigation(inline.properties, at) };
    }
    return { expand, embedded };
  };
  for (const resource of resources) {
    const found = navigation(propertiesOf(doc, resource.schema), `components.schemas.${resource.schema}`);
    Object.assign(resource.expand, found.expand);
    Object.assign(resource.embedded, found.embedded);
  }

  const nested: NestedDefinition[] = [];
  for (const [pathKey, item] of Object.entries(doc.paths)) {
    const match = /^((?:\/\w+\/\{\w+\})+)\/(\w+)$/.exec(pathKey);
    if (!match || !item.get) continue;
    const [, chain = '', child = ''] = match;
    const parents = [...chain.matchAll(/\/(\w+)\/\{(\w+)\}/g)].map(([, parent = '', param = '']) => ({
      parent,
      param,
    }));
    const where = `paths.${pathKey}`;
    const raw = item['x-sandbox-foreign-key'];
    const keys = typeof raw === 'string' ? [raw] : stringList(raw, `${where}.x-sandbox-foreign-key`);
    if (keys.length !== parents.length && keys.length !== 1)
      fail(
        where,
        "a nested list needs x-sandbox-foreign-key: the child's link to its parent, or one per parent",
      );
    for (const { parent } of parents) if (!byPath.has(parent)) fail(where, `${parent} must be a resource`);
    if (!byPath.has(child)) fail(where, `${child} must be a resource`);
    const through = item['x-sandbox-through'];
    if (
      through !== undefined &&
      (!isRecord(through) || typeof through.collection !== 'string' || typeof through.key !== 'string')
    )
      fail(`${where}.x-sandbox-through`, 'needs collection and key');
    const { parent = '', param = '' } = parents.at(-1) ?? {};
    nested.push({
      parent,
      param,
      child,
      foreignKey: keys.at(-1) ?? '',
      byId: doc.paths[`${pathKey}/{Id}`]?.get !== undefined,
      outer: parents.slice(0, -1).map((p, i) => {
        if (keys.length === parents.length) return { ...p, foreignKey: keys[i] ?? '', on: 'child' as const };
        // The parent's link to its outer parent is said once, on the one-level path.
        const next = parents[i + 1]?.parent ?? '';
        const link = doc.paths[`/${p.parent}/{${p.param}}/${next}`]?.['x-sandbox-foreign-key'];
        if (typeof link !== 'string')
          fail(where, `needs /${p.parent}/{${p.param}}/${next} with its x-sandbox-foreign-key`);
        return { ...p, foreignKey: link, on: 'parent' as const };
      }),
      ...(through ? { through: { collection: String(through.collection), key: String(through.key) } } : {}),
    });
  }

  const pathModules = new Map<string, readonly string[]>();
  for (const [pathKey, item] of Object.entries(doc.paths)) {
    const own = item['x-sandbox-module'];
    if (own !== undefined)
      pathModules.set(pathKey, moduleList(own, modules, `paths.${pathKey}.x-sandbox-module`));
  }
  const served = new Set([...resources.flatMap((r) => r.modules), ...[...pathModules.values()].flat()]);

  return {
    resources,
    nested,
    modules,
    pathModules(path) {
      const own = pathModules.get(path);
      if (own) return own;
      const resource = byPath.get(path.replace(/^\//, '').replace(/\/\{Id\}$/, ''));
      return resource?.modules ?? [];
    },
    serves: (module) => served.has(module),
    resource(path) {
      const found = byPath.get(path);
      if (!found) throw new ContractError(`the contract serves no resource at /${path}`);
      return found;
    },
    members(path) {
      let members = memberCache.get(path);
      if (!members) {
        const list = byPath.get(path);
        if (!list?.enumeration) throw new ContractError(`the contract has no enumeration list at /${path}`);
        members = parseMembers(doc, list.schema);
        memberCache.set(path, members);
      }
      return members;
    },
    fieldMembers(property) {
      const list = property['x-sandbox-enum'];
      if (typeof list === 'string') return this.members(list);
      return property.enum?.map((value, id) => ({ id, value: String(value), description: String(value) }));
    },
  };
}

/**
 * The document with each `x-sandbox-enum` field given the standard `enum` of its list's members, so a JSON Schema
 * validator checks them; the members stay written once, on the enumeration list's record schema.
 */
export function withEnumMembers(doc: OpenApiDocument): OpenApiDocument {
  const members = new Map<string, readonly unknown[]>();
  const membersOf = (list: string): readonly unknown[] => {
    let found = members.get(list);
    if (!found) {
      const schema = recordSchemaOf(okSchema(doc, `/${list}`));
      found = schema === undefined ? undefined : propertiesOf(doc, schema).value?.enum;
      if (!found) fail(`x-sandbox-enum: ${list}`, 'names no enumeration list of the contract');
      members.set(list, found);
    }
    return found;
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isRecord(node)) return node;
    const out: Raw = {};
    for (const [key, value] of Object.entries(node)) out[key] = walk(value);
    const list = node['x-sandbox-enum'];
    if (typeof list === 'string') out.enum = membersOf(list);
    return out;
  };
  return { ...doc, components: walk(doc.components) as OpenApiDocument['components'] };
}

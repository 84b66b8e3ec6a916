/**
 * The parents a nested path names (`/customers/{customerId}/customer_contacts/{CustomerContactId}/customer_emails`):
 * each must exist and belong to the one before it, or the path answers the 404 naming it. Reads and writes of
 * nested paths share it, so both refuse the same paths alike.
 */
import { loadCatalog, type NestedDefinition, type ResourceDefinition } from '../../contracts/index.ts';
import type { CompanyStore } from '../store/index.ts';
import type { SageRecord } from '../world/model.ts';
import { notFound, parseId } from './route-helpers.ts';

/** The path's parameters, by name (`c.req.param`). */
export type PathParam = (name: string) => string | undefined;

/** The nested path's template in Hono's form: `/customers/:customerId/customer_contacts/:CustomerContactId/customer_emails`. */
export function nestedRoute(nested: NestedDefinition): string {
  const outer = nested.outer.map((o) => `/${o.parent}/:${o.param}`).join('');
  return `${outer}/${nested.parent}/:${nested.param}/${nested.child}`;
}

/** The same path as the contract writes it: `/customers/{customerId}/customer_contacts/...`. */
export function nestedTemplate(nested: NestedDefinition): string {
  return nestedRoute(nested).replace(/:(\w+)/g, '{$1}');
}

/** The parent checks of one nested path, for its reads and writes alike. */
export interface NestedOwner {
  /** The nearest parent, once every parent on the path was found and each belongs to the one before it. */
  owner(company: CompanyStore, param: PathParam): SageRecord;
  /** The records of the outer parents whose ids the child itself holds (`on: 'child'`), with the child's field. */
  childLinks(company: CompanyStore, param: PathParam): readonly (readonly [string, unknown])[];
  /** The child `{Id}` names, which must be the nearest parent's (and hold each outer parent it links to), or its 404. */
  child(company: CompanyStore, param: PathParam): SageRecord;
  /** The outer parents' definitions and the parent's, outermost first: their modules guard the path. */
  readonly parents: readonly ResourceDefinition[];
}

/** The parent checks of `nested`, from the catalog's links (contracts/README.md, "What comes from where"). */
export function nestedOwner(nested: NestedDefinition): NestedOwner {
  const catalog = loadCatalog();
  const parent = catalog.resource(nested.parent);
  const childDefinition = catalog.resource(nested.child);
  const outer = nested.outer.map((o) => ({ ...o, definition: catalog.resource(o.parent) }));
  const found = (
    company: CompanyStore,
    definition: ResourceDefinition,
    raw: string | undefined,
  ): SageRecord => {
    const record = company.table(definition.collection).get(parseId(raw, definition));
    if (!record) throw notFound(definition, raw ?? '');
    return record;
  };
  const self: NestedOwner = {
    parents: [...outer.map((o) => o.definition), parent],
    owner(company, param) {
      let enclosing: SageRecord | undefined;
      for (const o of outer) enclosing = found(company, o.definition, param(o.param));
      const record = found(company, parent, param(nested.param));
      const link = outer.at(-1);
      if (link?.on === 'parent' && enclosing && record[link.foreignKey] !== enclosing.id)
        throw notFound(parent, param(nested.param) ?? '');
      return record;
    },
    childLinks(company, param) {
      return outer
        .filter((o) => o.on === 'child')
        .map((o) => [o.foreignKey, found(company, o.definition, param(o.param)).id] as const);
    },
    child(company, param) {
      const owner = self.owner(company, param);
      const links = self.childLinks(company, param);
      const raw = param('Id') ?? '';
      const record = company.table(childDefinition.collection).get(parseId(raw, childDefinition));
      if (
        !record ||
        record[nested.foreignKey] !== owner.id ||
        !links.every(([field, value]) => record[field] === value)
      )
        throw notFound(childDefinition, raw);
      return record;
    },
  };
  return self;
}

/**
 * Writes to the records that need no rules of their own beyond what the contract says about them: the memos (on
 * customers, suppliers, products, nominal codes and posted transactions), customer alerts and cards, and the
 * reference records (couriers, SOP incoterms and export reasons, flow states, pending emails, nominal report
 * categories, stocktake criteria templates, payment groups, company details). Everything comes from the contract:
 * the verbs from its paths, the record a memo belongs to from the nested path or the parent's expandable array,
 * references from navigation properties, and what refuses a delete from every stored record whose navigation
 * property names the record. See docs/writes.md ("Memos, alerts and reference records").
 */

import {
  type ExpandDefinition,
  loadCatalog,
  loadContract,
  type ResourceDefinition,
} from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { Change, TableName } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { stampRecord, withDefaults } from './records.ts';
import {
  put,
  requireReference,
  requireUnique,
  type WritableResource,
  type WriteContext,
} from './writable.ts';

/** The collections written by the generic rules alone. */
const GENERIC_COLLECTIONS = [
  'customer_memos',
  'supplier_memos',
  'product_memos',
  'nominal_code_memos',
  'sales_posted_transaction_memos',
  'purchase_posted_transaction_memos',
  'customer_alerts',
  'customer_cards',
  'couriers',
  'flow_states',
  'pending_emails',
  'sop_incoterms',
  'sop_export_reasons',
  'nominal_report_categories',
  'stocktake_criteria_templates',
  'payment_groups',
  'company_details',
] as const;

/**
 * The field no two records of a collection may share, compared without case. Sage publishes no unique keys for
 * these; the sandbox assumes the name a user picks the record by (README, Fidelity).
 */
const UNIQUE_FIELDS: Readonly<Partial<Record<(typeof GENERIC_COLLECTIONS)[number], string>>> = {
  couriers: 'name',
  sop_incoterms: 'name',
  sop_export_reasons: 'name',
  stocktake_criteria_templates: 'name',
  flow_states: 'flow_id',
  nominal_report_categories: 'code',
};

/** The report layout a category's type places its accounts on (Sage's `account_report_type`). */
const REPORT_TYPES: Readonly<Record<string, string>> = {
  NominalReportingCategoryTypeIncome: 'ProfitLoss',
  NominalReportingCategoryTypeExpense: 'ProfitLoss',
  NominalReportingCategoryTypeAsset: 'BalanceSheet',
  NominalReportingCategoryTypeLiability: 'BalanceSheet',
};

/** A link from a record to the record it belongs to (a memo's customer), or to one it names (a courier). */
interface Link {
  foreignKey: string;
  collection: TableName;
  noun: string;
}

/** A collection the company stores, not a view or an enumeration computed from others. */
function isStored(resource: ResourceDefinition): boolean {
  return resource.viewOf === undefined && resource.derivedFrom === undefined && !resource.enumeration;
}

/** The records a resource's records belong to: its nested path's parent, or a parent's expandable array of them. */
function parentsOf(definition: ResourceDefinition): Link[] {
  const catalog = loadCatalog();
  const links = new Map<string, Link>();
  const add = (owner: ResourceDefinition, foreignKey: string) => {
    if (isStored(owner))
      links.set(foreignKey, { foreignKey, collection: owner.collection, noun: owner.noun });
  };
  for (const nested of catalog.nested) {
    if (nested.child === definition.path && nested.outer.length === 0 && !nested.through)
      add(catalog.resource(nested.parent), nested.foreignKey);
  }
  for (const owner of catalog.resources) {
    for (const expand of Object.values(owner.expand)) {
      if (expand.many && expand.collection === definition.collection) add(owner, expand.foreignKey);
    }
  }
  return [...links.values()];
}

/** The records a record names through its own navigation properties (company details' country code). */
function referencesOf(definition: ResourceDefinition, parents: readonly Link[]): Link[] {
  return Object.values(definition.expand)
    .filter((expand: ExpandDefinition) => !expand.many)
    .filter((expand) => !parents.some((p) => p.foreignKey === expand.foreignKey))
    .map((expand) => ({
      foreignKey: expand.foreignKey,
      collection: expand.collection,
      noun: loadCatalog().resource(expand.resource).noun,
    }));
}

/** Every stored collection with a navigation property naming a record of `definition` (despatch receipts' courier). */
function referrersOf(definition: ResourceDefinition): Link[] {
  const links = new Map<string, Link>();
  for (const other of loadCatalog().resources) {
    if (!isStored(other)) continue;
    for (const expand of Object.values(other.expand)) {
      if (expand.many || expand.collection !== definition.collection) continue;
      links.set(`${other.collection} ${expand.foreignKey}`, {
        foreignKey: expand.foreignKey,
        collection: other.collection,
        noun: other.noun,
      });
    }
  }
  return [...links.values()];
}

/** How a record is named in a refusal: its name, code or flow, else its id. */
function labelOf(record: SageRecord): string {
  for (const field of ['name', 'code', 'flow_id', 'description']) {
    const value = record[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return String(record.id);
}

function records(ctx: WriteContext, link: Link, id: number): readonly SageRecord[] {
  const table = ctx.company.table(link.collection);
  return table.lookup(link.foreignKey, id) ?? table.all().filter((r) => r[link.foreignKey] === id);
}

function genericResource(collection: (typeof GENERIC_COLLECTIONS)[number]): WritableResource {
  const contract = loadContract();
  const definition = loadCatalog().resource(collection);
  const list = contract.paths[`/${definition.path}`];
  const one = contract.paths[`/${definition.path}/{Id}`];
  const parents = parentsOf(definition);
  const references = referencesOf(definition, parents);
  const referrers = referrersOf(definition);
  const unique = UNIQUE_FIELDS[collection];
  const schemaOf = (ctx: WriteContext) => ctx.schema(definition.schema);

  return {
    definition,
    create: list?.post !== undefined,
    update: one?.put !== undefined,
    remove: one?.delete !== undefined,
    bulkUpdate: list?.put !== undefined,
    // `is_to_delete` marks an item to remove inside its parent's array (records.ts); a record of its own is removed
    // by DELETE, so the flag is not stored.
    ignored: ['is_to_delete'],
    start(ctx, _request, _owner) {
      return withDefaults(blankRecord(collection, ctx.now), schemaOf(ctx));
    },
    prepare(record, previous, ctx) {
      const properties = schemaOf(ctx).properties ?? {};
      for (const parent of parents) {
        if (previous && record[parent.foreignKey] !== previous[parent.foreignKey]) {
          throw badRequest(
            `The ${parent.foreignKey} of a ${definition.noun} cannot be changed: it belongs to its ${parent.noun}.`,
          );
        }
        requireReference(ctx, record, parent.foreignKey, parent.collection, parent.noun);
      }
      for (const reference of references)
        requireReference(ctx, record, reference.foreignKey, reference.collection, reference.noun);
      if (unique) requireUnique(ctx, record, collection, unique, definition.noun);
      // The signed-in user's logon name, as the other writes record it (traders.ts, orders.ts).
      const user = (field: string) => ctx.user.email.slice(0, properties[field]?.maxLength ?? 20);
      if (!previous && properties.created_by) record.created_by = user('created_by');
      if (properties.updated_by) record.updated_by = user('updated_by');
      if (collection === 'nominal_report_categories') {
        record.account_report_type = REPORT_TYPES[String(record.account_report_category_type)] ?? '';
      }
      const others = properties.is_default && record.is_default === true ? otherDefaults(ctx, record) : [];
      return () => {
        stampRecord(record, previous, schemaOf(ctx), ctx.now, () => ctx.company.reserveId());
        return { record, changes: [put(collection, record), ...others] };
      };
    },
    checkBatch(batch, ctx) {
      if (unique) {
        const seen = new Set<string>();
        for (const record of batch) {
          const value = String(record[unique] ?? '').toLowerCase();
          if (value !== '' && seen.has(value)) {
            throw badRequest(
              `The ${unique} '${String(record[unique])}' is given to more than one ${definition.noun}.`,
            );
          }
          seen.add(value);
        }
      }
      // The items made the default by this PUT; one takes it from every other record, the batch's included.
      const made = batch.filter(
        (record) =>
          record.is_default === true &&
          ctx.company.table(collection).get(record.id as number)?.is_default !== true,
      );
      if (made.length > 1) throw badRequest(`Only one ${definition.noun} can be the default.`);
      const chosen = made[0];
      for (const record of batch) {
        if (!chosen || record === chosen || record.is_default !== true) continue;
        record.is_default = false;
        if (Object.hasOwn(record, 'date_time_updated')) record.date_time_updated = ctx.now;
      }
    },
    prepareDelete(record, ctx) {
      for (const referrer of referrers) {
        const count = records(ctx, referrer, record.id as number).length;
        if (count > 0) {
          throw badRequest(
            `The ${definition.noun} '${labelOf(record)}' cannot be deleted because ${count} ${referrer.noun}${count === 1 ? ' names' : 's name'} it.`,
          );
        }
      }
      return [];
    },
  };

  /** One default per company (or per parent): a record made the default takes it from the others. */
  function otherDefaults(ctx: WriteContext, record: SageRecord): Change[] {
    const parent = parents[0];
    const siblings = parent
      ? records(ctx, { ...parent, collection }, record[parent.foreignKey] as number)
      : ctx.company.table(collection).all();
    return siblings
      .filter((other) => other.is_default === true && other.id !== record.id)
      .map((other) => put(collection, { ...other, is_default: false, date_time_updated: ctx.now }));
  }
}

export const genericResources: readonly WritableResource[] = GENERIC_COLLECTIONS.map(genericResource);

const OWNED = GENERIC_COLLECTIONS.flatMap((collection) =>
  parentsOf(loadCatalog().resource(collection)).map((parent) => ({ ...parent, child: collection })),
);

/**
 * The deletes of the memos, alerts and cards a record being deleted owns (a customer's memos go with it, as in
 * Sage 200, where they are part of the account), so that none outlives its parent.
 */
export function ownedRecordDeletes(ctx: WriteContext, collection: string, id: number): Change[] {
  return OWNED.filter((link) => link.collection === collection).flatMap((link) =>
    records(ctx, { ...link, collection: link.child }, id).map(
      (r): Change => ({ kind: 'delete', table: link.child, id: r.id as number }),
    ),
  );
}

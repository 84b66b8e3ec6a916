/**
 * Writes to the records that link a product to others (Sage's stock.json): its suppliers, its alternatives and its
 * cross-sell products. Every id named must exist, a product never links to itself, each link is made once, and one
 * supplier and one alternative per product is the preferred one: marking another moves the mark (assumed from
 * Sage's "can be the preferred supplier for a product").
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { Change, TableName } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { stampRecord, withDefaults } from './records.ts';
import { put, requireReference, type WritableResource, type WriteContext } from './writable.ts';

interface Link {
  collection: TableName;
  schema: string;
  /** The field naming the linked record, its collection and the noun messages call it. */
  target: { field: string; collection: TableName; noun: string };
  /** The noun of the link itself, for messages. */
  noun: string;
  preferred: boolean;
}

const LINKS: readonly Link[] = [
  {
    collection: 'product_suppliers',
    schema: 'ProductSupplier',
    target: { field: 'supplier_id', collection: 'suppliers', noun: 'supplier' },
    noun: 'supplier',
    preferred: true,
  },
  {
    collection: 'alternative_products',
    schema: 'AlternativeProduct',
    target: { field: 'alternative_product_id', collection: 'products', noun: 'product' },
    noun: 'alternative product',
    preferred: true,
  },
  {
    collection: 'cross_sell_products',
    schema: 'CrossSellProduct',
    target: { field: 'cross_sell_product_id', collection: 'products', noun: 'product' },
    noun: 'cross-sell product',
    preferred: false,
  },
];

/** The product's other links that lose the preferred mark when `record` takes it. */
function preferredMoves(ctx: WriteContext, link: Link, record: SageRecord): SageRecord[] {
  if (!link.preferred || record.is_preferred !== true) return [];
  return (ctx.company.table(link.collection).lookup('product_id', record.product_id as number) ?? [])
    .filter((other) => other.id !== record.id && other.is_preferred === true)
    .map((other) => ({ ...other, is_preferred: false, date_time_updated: ctx.now }));
}

function linkResource(link: Link): WritableResource {
  return {
    definition: loadCatalog().resource(link.collection),
    create: true,
    update: true,
    remove: true,
    ignored: ['is_to_delete'],
    start(ctx) {
      return withDefaults(blankRecord(link.collection, ctx.now), ctx.schema(link.schema));
    },
    prepare(record, previous, ctx) {
      if (previous && record.product_id !== previous.product_id) {
        throw badRequest(`The product_id of a product's ${link.noun} cannot be changed.`);
      }
      const product = requireReference(ctx, record, 'product_id', 'products', 'product');
      if (!product) throw badRequest('The product_id field is required.');
      const { field, collection, noun } = link.target;
      requireReference(ctx, record, field, collection, noun);
      if (record[field] === record.product_id) {
        throw badRequest(`The product '${String(product.code)}' cannot be its own ${link.noun}.`);
      }
      const twin = (ctx.company.table(link.collection).lookup('product_id', product.id as number) ?? []).find(
        (other) => other.id !== record.id && other[field] === record[field],
      );
      if (twin) {
        throw badRequest(
          `The ${noun} with the Id '${String(record[field])}' is already a ${link.noun} of the product '${String(product.code)}'.`,
        );
      }
      return () => {
        stampRecord(record, previous, ctx.schema(link.schema), ctx.now, () => ctx.company.reserveId());
        const moved: Change[] = preferredMoves(ctx, link, record).map((other) => put(link.collection, other));
        return { record, changes: [put(link.collection, record), ...moved] };
      };
    },
    prepareDelete() {
      return [];
    },
  };
}

export const stockLinkResources: readonly WritableResource[] = LINKS.map(linkResource);

/**
 * `POST /product_search` (stock.json): the products whose product group holds every search category value asked
 * for (`/product_group_search_category_values`), narrowed by the flags Sage's `product_search` schema gives. Saves
 * nothing. See the operation's description in contracts/sage200.openapi.yaml.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import { checkPosting } from '../validation/index.ts';
import type { SageRecord } from '../world/model.ts';
import { named } from './price-enquiry.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { readJsonObject } from './write-guards.ts';

const ALL_TYPES = 'EnumStockItemTypeAll';
const INACTIVE = 'EnumStockItemStatusTypeInactive';

export function registerProductSearchRoutes({ api, gate }: ApiRoutes): void {
  const catalog = loadCatalog();
  api.post('/product_search', gate(catalog.pathModules('/product_search')), async (c) => {
    const body = checkPosting('ProductSearch', await readJsonObject(c));
    const company = c.get('company');
    const wanted = body.search_category_values;
    if (wanted.length === 0) throw badRequest('The search_category_values must hold at least one value.');
    const values = wanted.map((entry, i) => {
      const at = `search_category_values[${i}]`;
      const categoryId = entry.search_category_id;
      const valueId = entry.search_value_id;
      if (categoryId === undefined || categoryId === null || valueId === undefined || valueId === null)
        throw badRequest(`The ${at} must give both search_category_id and search_value_id.`);
      named(company, 'search_categories', categoryId, 'search category', `${at}.search_category_id`);
      const value = named(company, 'search_values', valueId, 'search value', `${at}.search_value_id`);
      if (value.search_category_id !== categoryId)
        throw badRequest(
          `The search value ${valueId} given in ${at} is not a value of the search category ${categoryId}.`,
        );
      return valueId;
    });
    const valuesOf = new Map<unknown, Set<unknown>>();
    for (const row of company.table('product_group_search_category_values').all()) {
      const held = valuesOf.get(row.product_group_id) ?? new Set();
      held.add(row.search_value_id);
      valuesOf.set(row.product_group_id, held);
    }
    const groups = company.table('product_groups');
    const type = body.product_search_type ?? ALL_TYPES;
    const matches = (product: SageRecord): boolean => {
      const held = valuesOf.get(product.product_group_id);
      if (!held || !values.every((v) => held.has(v))) return false;
      if (body.show_inactive !== true && product.product_status_type === INACTIVE) return false;
      if (body.show_phantom !== true && product.bom_item_type === 'EnumBomItemTypePhantom') return false;
      if (body.show_only_allow_sales_order === true && product.allow_sales_order !== true) return false;
      const group = groups.get(Number(product.product_group_id));
      return type === ALL_TYPES || group?.product_type === type;
    };
    const matching_products = company
      .table('products')
      .all()
      .filter(matches)
      .sort((a, b) => String(a.code).localeCompare(String(b.code)))
      .map((product) => ({
        id: Number(product.id),
        product_id: Number(product.id),
        code: String(product.code ?? ''),
        name: String(product.name ?? ''),
        product_status_type: String(product.product_status_type ?? ''),
        product_type: String(groups.get(Number(product.product_group_id))?.product_type ?? ''),
        free_stock_quantity: Number(product.free_stock_quantity) || 0,
      }));
    const answer = {
      search_category_values: wanted,
      show_inactive: body.show_inactive ?? false,
      show_phantom: body.show_phantom ?? false,
      show_only_allow_sales_order: body.show_only_allow_sales_order ?? false,
      product_search_type: type,
      matching_products,
    };
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });
}

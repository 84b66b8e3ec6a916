/**
 * `POST /suggested_products` (sop.json): the products a customer is likely to order, from its own sales order
 * lines: preferred (lines marked `mark_as_preferred`), recently ordered and frequently ordered, as Sage's
 * `suggested_product_options` names them. Saves nothing. See the operation's description in
 * contracts/sage200.openapi.yaml.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import { dayOfField } from '../ledger/index.ts';
import { checkPosting } from '../validation/index.ts';
import { businessDate } from '../world/calendar.ts';
import type { SageRecord } from '../world/model.ts';
import { customerUnitPrice, named, rowsWhere } from './price-enquiry.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { readJsonObject } from './write-guards.ts';

const DAY_MS = 86_400_000;

/** The defaults where Sage is silent (README, Fidelity), with Sage's ranges. */
const OPTIONS = {
  number_of_days_for_recent_items: { fallback: 30, max: 365 },
  number_of_days_for_frequent_items: { fallback: 365, max: 365 },
  minimum_number_of_lines_for_frequent_items: { fallback: 2, max: 100 },
} as const;

type Source = 'Preferred' | 'Recent' | 'Frequent';

interface Line {
  line: SageRecord;
  order: SageRecord;
  day: number;
}

export function registerSuggestedProductRoutes({ api, deps, gate }: ApiRoutes): void {
  const catalog = loadCatalog();
  api.post('/suggested_products', gate(catalog.pathModules('/suggested_products')), async (c) => {
    const body = checkPosting('SuggestedProductOptions', await readJsonObject(c));
    const company = c.get('company');
    const customer = named(company, 'customers', body.customer_id, 'customer', 'customer_id');
    const groupId = body.product_group_id ?? undefined;
    if (groupId !== undefined) named(company, 'product_groups', groupId, 'product group', 'product_group_id');
    if (!body.show_frequent_items && !body.show_recent_items && !body.show_preferred_items)
      throw badRequest(
        'At least one of show_frequent_items, show_recent_items or show_preferred_items must be true.',
      );
    const option = (field: keyof typeof OPTIONS): number => {
      const { fallback, max } = OPTIONS[field];
      const value = body[field] ?? fallback;
      if (value < 1 || value > max) throw badRequest(`The ${field} must be in the range 1 to ${max}.`);
      return value;
    };
    const recentDays = option('number_of_days_for_recent_items');
    const frequentDays = option('number_of_days_for_frequent_items');
    const minimumLines = option('minimum_number_of_lines_for_frequent_items');
    const today = Math.floor(deps.clock.now() / DAY_MS);

    const products = company.table('products');
    const lines: Line[] = rowsWhere(company, 'sop_orders', 'customer_id', Number(customer.id))
      .filter((order) => order.is_draft !== true && typeof order.document_date === 'string')
      .flatMap((order) =>
        rowsWhere(company, 'sop_order_lines', 'sop_order_id', Number(order.id)).map((line) => ({
          line,
          order,
          day: dayOfField(String(order.document_date), 'document_date'),
        })),
      )
      .filter(({ line, day }) => {
        const product = products.get(Number(line.product_id));
        if (!product || day > today) return false;
        return groupId === undefined || product.product_group_id === groupId;
      });
    const byProduct = new Map<number, Line[]>();
    for (const entry of lines) {
      const id = Number(entry.line.product_id);
      byProduct.set(id, [...(byProduct.get(id) ?? []), entry]);
    }

    const sourceOf = (held: readonly Line[]): Source | undefined => {
      if (body.show_preferred_items && held.some((l) => l.line.mark_as_preferred === true))
        return 'Preferred';
      if (body.show_recent_items && held.some((l) => today - l.day < recentDays)) return 'Recent';
      const frequent = held.filter((l) => today - l.day < frequentDays).length;
      if (body.show_frequent_items && frequent >= minimumLines) return 'Frequent';
      return undefined;
    };
    const answer = [...byProduct.entries()]
      .flatMap(([productId, held]) => {
        const source = sourceOf(held);
        if (!source) return [];
        const last = held.reduce((a, b) =>
          b.day > a.day || (b.day === a.day && Number(b.order.id) > Number(a.order.id)) ? b : a,
        );
        const product = products.get(productId) as SageRecord;
        const unit = String(
          company.table('lookup_stock_item_units').get(Number(product.stock_unit_id))?.name ?? '',
        );
        return [
          {
            id: productId,
            code: String(product.code ?? ''),
            description: String(product.name ?? ''),
            number_orders_appears: new Set(held.map((l) => l.order.id)).size,
            last_sales_date: businessDate(last.day),
            last_order_number: String(last.order.document_no ?? ''),
            source,
            quantity: Number(last.line.line_quantity) || 0,
            quantity_unit: unit,
            price: customerUnitPrice(company, customer, productId),
            price_unit: unit,
          },
        ];
      })
      .sort((a, b) => a.code.localeCompare(b.code));
    return c.body(JSON.stringify(answer), 200, JSON_TYPE);
  });
}

/**
 * Back-to-back orders: some entered sales order lines are supplied through a purchase order line of the same
 * product raised for them, which `/pop_order_lines/{lineId}/pop_linked_order_lines` lists. The order book does not
 * record these links, so they are seeded after it, from a random stream of their own, and only mark the lines they
 * join (`has_linked_order_lines`, `has_pop_order`, `back_to_back_status`, `fulfilment_method`).
 */
import type { CompanyWorld, JsonValue, SageRecord } from '../world/model.ts';
import type { Rng } from './random.ts';

/** Back-to-back links per company at most (a tenth in the small world). */
export const BACK_TO_BACK_LINKS = 16;

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const LIVE = 'EnumDocumentStatusLive';

/** A line still waiting for all of its goods, neither moved, allocated nor linked to a requisition. */
const untouched = (line: SageRecord, moved: string): boolean =>
  line.line_type === 'EnumLineTypeStandard' &&
  num(line[moved]) === 0 &&
  num(line.allocated_quantity) === 0 &&
  line.has_requisition_lines !== true;

/**
 * Links sales order lines to purchase order lines raised for them: each purchase line orders at least the sales
 * line's quantity of its product and was raised on or after the sales order's date.
 */
export function addBackToBackLinks(
  company: CompanyWorld,
  rng: Rng,
  scale: 'small' | 'medium' | 'large',
): void {
  const { collections } = company;
  const live = (orders: readonly SageRecord[]) =>
    new Map(orders.filter((o) => o.document_status === LIVE).map((o) => [o.id, o]));
  const sopOrders = live(collections.sop_orders);
  const popOrders = live(collections.pop_orders);
  const sales = collections.sop_order_lines.filter(
    (l) => sopOrders.has(l.sop_order_id) && untouched(l, 'despatch_receipt_quantity'),
  );
  const purchases = collections.pop_order_lines.filter(
    (l) => popOrders.has(l.pop_order_id) && untouched(l, 'receipt_return_quantity'),
  );
  const links: SageRecord[] = [];
  const taken = new Set<SageRecord>();
  const wanted = Math.round(BACK_TO_BACK_LINKS * (scale === 'small' ? 0.1 : 1));
  // Fisher-Yates, so which sales lines go back to back does not follow their order in the book.
  for (let i = sales.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [sales[i], sales[j]] = [sales[j]!, sales[i]!];
  }
  for (const line of sales) {
    if (links.length >= wanted) break;
    const order = sopOrders.get(line.sop_order_id);
    const date = String(order?.document_date ?? '');
    const supply = purchases.find(
      (p) =>
        !taken.has(p) &&
        p.product_id === line.product_id &&
        p.warehouse_id === line.warehouse_id &&
        num(p.line_quantity) >= num(line.line_quantity) &&
        String(popOrders.get(p.pop_order_id)?.document_date ?? '') >= date,
    );
    if (!supply) continue;
    taken.add(supply);
    const created = String(supply.date_time_created);
    links.push({
      id: company.next_id++,
      pop_order_line_id: supply.id ?? null,
      sop_order_line_id: line.id ?? null,
      quantity: num(line.line_quantity),
      date_time_created: created,
      date_time_updated: created,
    });
    supply.has_linked_order_lines = true;
    line.has_pop_order = true;
    line.back_to_back_status = 'EnumBackToBackStatusPOGenerated';
    line.fulfilment_method = 'EnumFulfilmentFromSupplierViaStock';
  }
  collections.back_to_back_order_lines = links;
}

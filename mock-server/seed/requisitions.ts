/**
 * Purchase requisitions and how they were fulfilled (`/pop_requisition_fulfilment_lines`): some of the open
 * purchase orders' lines were raised from an authorised requisition, which they fulfil in full, and a few
 * requisitions were met from stock. Requisitions and their lines are kept for the views alone
 * (`x-sandbox-collections`).
 */
import { asOfDay, businessDate, dayOf, dayStartMs, instant } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { CompanyWorld, JsonValue, SageRecord } from '../world/model.ts';
import type { Rng } from './random.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');

/** Requisitions per company fulfilled by a purchase order line, and from stock; a tenth in the small world. */
export const REQUISITION_VOLUMES = { byOrder: 30, fromStock: 8 } as const;

interface RequisitionInput {
  company: CompanyWorld;
  rng: Rng;
  nextId: () => number;
  factor: number;
  /** The open purchase orders and their lines, as the order book made them. */
  orders: readonly SageRecord[];
  lines: readonly SageRecord[];
  users: readonly { id: number; name: string }[];
}

/** Adds requisitions, their lines and fulfilment lines to a company; marks the order lines that fulfil them. */
export function addRequisitions(input: RequisitionInput): void {
  const { company, rng, nextId, factor } = input;
  const requisitions: SageRecord[] = [];
  const requisitionLines: SageRecord[] = [];
  const fulfilment: SageRecord[] = [];
  const orders = new Map(input.orders.map((o) => [o.id, o]));
  const suppliers = new Map(company.collections.suppliers.map((s) => [s.id, s]));
  const warehouse = company.collections.warehouses[0];
  const stock = company.collections.nominal_codes.find((n) => n.reference === '1001');
  const products = new Map(company.collections.products.map((p) => [p.id, p]));
  const candidates = input.lines.filter((l) => {
    const order = orders.get(l.pop_order_id);
    return l.line_type === 'EnumLineTypeStandard' && order?.document_status === 'EnumDocumentStatusLive';
  });
  const pick = (who: number): string => input.users[who % input.users.length]?.name ?? '';
  let documentNo = 0;

  const requisition = (
    day: number,
    item: SageRecord,
    quantity: number,
    price: number,
    supplier: SageRecord,
  ) => {
    const created = instant(dayStartMs(day) + (9 * 60 + rng.int(0, 300)) * 60_000);
    const requisitionId = nextId();
    requisitions.push({
      id: requisitionId,
      document_no: `REQ${String(++documentNo).padStart(6, '0')}`,
      created_by_username: pick(rng.int(0, 9)),
      date_time_created: created,
      date_time_updated: created,
    });
    const row: SageRecord = {
      id: nextId(),
      pop_requisition_id: requisitionId,
      item_code: item.code ?? '',
      item_name: item.name ?? '',
      quantity,
      quantity_to_fulfil: 0,
      quantity_fulfilled: quantity,
      delivery_date: businessDate(day + 10),
      authoriser_username: pick(0),
      authorised_date: businessDate(day + 1),
      nominal_account_name: stock?.name ?? '',
      nominal_account_reference: stock?.reference ?? '',
      nominal_cost_centre: stock?.cost_centre ?? '',
      nominal_department: stock?.department ?? '',
      unit_buying_price: price,
      net_value: Math.round(price * quantity * 100) / 100,
      warehouse_name: warehouse?.name ?? '',
      supplier_code: supplier.reference ?? '',
      supplier_name: supplier.name ?? '',
      buying_unit_description: 'Each',
      date_time_created: created,
      date_time_updated: created,
    };
    requisitionLines.push(row);
    return row;
  };

  const fulfil = (row: SageRecord, type: 'POPOrder' | 'Stock', supplier: SageRecord, line?: SageRecord) => {
    const record = blankRecord('pop_requisition_fulfilment_lines', text(row.date_time_created));
    record.id = nextId();
    record.pop_requisition_line_id = row.id ?? null;
    record.linked_item_id = line?.id ?? 0;
    record.linked_reference = line ? (orders.get(line.pop_order_id)?.document_no ?? '') : '';
    record.pop_requisition_fulfilment_line_type = type;
    record.supplier_id = supplier.id ?? null;
    record.item_code = row.item_code ?? '';
    record.item_name = row.item_name ?? '';
    record.warehouse_id = warehouse?.id ?? null;
    record.warehouse_name = warehouse?.name ?? '';
    record.quantity = row.quantity ?? 0;
    record.nominal_account_name = row.nominal_account_name ?? '';
    record.nominal_account_reference = row.nominal_account_reference ?? '';
    record.nominal_cost_centre = row.nominal_cost_centre ?? '';
    record.nominal_department = row.nominal_department ?? '';
    record.unit_buying_price = row.unit_buying_price ?? 0;
    record.net_value = row.net_value ?? 0;
    fulfilment.push(record);
  };

  const byOrder = Math.min(candidates.length, Math.round(REQUISITION_VOLUMES.byOrder * factor));
  const chosen = new Set<SageRecord>();
  while (chosen.size < byOrder) chosen.add(rng.pick(candidates));
  for (const line of [...chosen].sort((a, b) => num(a.id) - num(b.id))) {
    const order = orders.get(line.pop_order_id);
    const supplier = suppliers.get(order?.supplier_id);
    const product = products.get(line.product_id);
    if (!order || !supplier || !product) continue;
    const day = dayOf(text(order.document_date).slice(0, 10)) - rng.int(2, 6);
    const row = requisition(day, product, num(line.line_quantity), num(line.unit_buying_price), supplier);
    fulfil(row, 'POPOrder', supplier, line);
    line.has_requisition_lines = true;
  }
  const stocked = company.collections.products.filter((p) => p.allow_sales_order === true);
  const traders = company.collections.suppliers.filter((s) => s.on_hold !== true);
  for (
    let i = 0;
    i < Math.round(REQUISITION_VOLUMES.fromStock * factor) && stocked.length && traders.length;
    i++
  ) {
    const product = rng.pick(stocked);
    const supplier = rng.pick(traders);
    const day = asOfDay() - 42 + rng.int(0, 35);
    fulfil(
      requisition(day, product, rng.int(1, 10), num(product.standard_cost), supplier),
      'Stock',
      supplier,
    );
  }
  company.collections.pop_requisitions = requisitions;
  company.collections.pop_requisition_lines = requisitionLines;
  company.collections.pop_requisition_fulfilment_lines = fulfilment;
}

/**
 * What a purchase order line is linked to (pop.json): `/pop_order_lines/{lineId}/pop_linked_order_lines`, the sales
 * order lines it was raised for back to back (`back_to_back_order_lines`), and `.../pop_linked_requisition_lines`,
 * the requisition fulfilment lines it fulfils. Sage's records name neither the purchase line nor themselves by it,
 * so each row holds the purchase line's id out of its JSON, where the nested path finds it.
 */
import type { JsonValue, SageRecord } from '../world/model.ts';
import type { DerivedView, ViewSources } from './model.ts';

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const round = (value: number): number => Math.round(value * 100_000) / 100_000 + 0;

/** A row under its purchase order line: the line's id is kept from the row's JSON. */
function underLine(row: SageRecord, popOrderLineId: JsonValue | undefined): SageRecord {
  return Object.defineProperty(row, 'pop_order_line_id', {
    value: popOrderLineId ?? null,
    enumerable: false,
  });
}

/** The sales order lines linked back to back, with what they still wait for (sold less despatched). */
const linkedOrderLines: DerivedView = {
  aged: false,
  build(sources: ViewSources): SageRecord[] {
    const rows: SageRecord[] = [];
    for (const link of sources.all('back_to_back_order_lines')) {
      const line = sources.get('sop_order_lines', num(link.sop_order_line_id));
      if (!line) continue;
      const order = sources.get('sop_orders', num(line.sop_order_id));
      const customer = order && sources.get('customers', num(order.customer_id));
      const despatched = num(line.stock_unit_despatch_receipt_quantity);
      const row: SageRecord = {
        // Sage's word for a sales order among the documents a purchase line can serve (assumed).
        type: 'SOPOrder',
        id: line.id ?? null,
        linked_order_id: line.sop_order_id ?? null,
        customer_name: text(customer?.name),
        customer_reference: text(customer?.reference),
        document_no: text(order?.document_no),
        stock_unit_required_quantity: num(link.quantity),
        stock_unit_despatched_quantity: despatched,
        stock_unit_outstanding_quantity: round(num(line.stock_unit_line_quantity) - despatched),
        is_to_unlink: false,
      };
      rows.push(underLine(row, link.pop_order_line_id));
    }
    return rows;
  },
};

/** The requisition lines a purchase order line fulfils: fulfilment lines of type POPOrder name it. */
const linkedRequisitionLines: DerivedView = {
  aged: false,
  build(sources: ViewSources): SageRecord[] {
    const rows: SageRecord[] = [];
    for (const fulfilment of sources.all('pop_requisition_fulfilment_lines')) {
      if (fulfilment.pop_requisition_fulfilment_line_type !== 'POPOrder') continue;
      const line = sources.get('pop_requisition_lines', num(fulfilment.pop_requisition_line_id));
      const requisition = line && sources.get('pop_requisitions', num(line.pop_requisition_id));
      const row: SageRecord = {
        id: fulfilment.id ?? null,
        supplier_reference: text(line?.supplier_code),
        supplier_name: text(line?.supplier_name),
        item_code: text(fulfilment.item_code),
        item_name: text(fulfilment.item_name),
        document_no: text(requisition?.document_no),
        budget_name: '',
        quantity: num(fulfilment.quantity),
      };
      rows.push(underLine(row, fulfilment.linked_item_id));
    }
    return rows;
  },
};

/** The two views, by the collection their contract entries name. */
export const linkedOrderLineViews: Readonly<Record<string, DerivedView>> = {
  pop_linked_order_lines: linkedOrderLines,
  pop_linked_requisition_lines: linkedRequisitionLines,
};

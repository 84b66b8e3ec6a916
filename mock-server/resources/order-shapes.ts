/**
 * The documents orders.ts writes, and where each keeps its records: sales orders and purchase orders (Sage's
 * sop.json and pop.json), sales quotations (sop.json `sop_quote`), each with its lines and its draft tables.
 */
import type { OrderKind } from '../seed/orders.ts';

/** The documents written here: sales orders, purchase orders and sales quotations. */
export type DocumentKind = 'sop' | 'pop' | 'quote';

export interface OrderShape {
  /** Which side's prices and totals the document takes (a quotation is priced as a sales order). */
  kind: OrderKind;
  document: DocumentKind;
  orders: 'sop_orders' | 'pop_orders' | 'sop_quotes';
  lines: 'sop_order_lines' | 'pop_order_lines' | 'sop_quote_lines';
  drafts: 'sop_order_drafts' | 'pop_order_drafts' | 'sop_quote_drafts';
  draftLines: 'sop_order_draft_lines' | 'pop_order_draft_lines' | 'sop_quote_draft_lines';
  schema: string;
  lineSchema: string;
  requestSchema: string;
  traders: 'customers' | 'suppliers';
  traderKey: 'customer_id' | 'supplier_id';
  traderNoun: 'customer' | 'supplier';
  orderKey: 'sop_order_id' | 'pop_order_id' | 'sop_quote_id';
  /** The account's value of current orders; a quotation counts in none (assumed). */
  valueField?: 'value_of_current_orders_in_sop' | 'value_of_current_orders_in_pop';
  /** The lines' stock figures (stock-levels.ts); a quotation allocates nothing. */
  stockLines?: 'sop_order_lines' | 'pop_order_lines';
  noun: string;
  lineNoun: string;
}

export const SHAPES: Readonly<Record<DocumentKind, OrderShape>> = {
  sop: {
    kind: 'sop',
    document: 'sop',
    orders: 'sop_orders',
    lines: 'sop_order_lines',
    drafts: 'sop_order_drafts',
    draftLines: 'sop_order_draft_lines',
    schema: 'SopOrder',
    lineSchema: 'SopOrderLine',
    requestSchema: 'SopOrdersNewRequest',
    traders: 'customers',
    traderKey: 'customer_id',
    traderNoun: 'customer',
    orderKey: 'sop_order_id',
    valueField: 'value_of_current_orders_in_sop',
    stockLines: 'sop_order_lines',
    noun: 'sales order',
    lineNoun: 'sales order line',
  },
  pop: {
    kind: 'pop',
    document: 'pop',
    orders: 'pop_orders',
    lines: 'pop_order_lines',
    drafts: 'pop_order_drafts',
    draftLines: 'pop_order_draft_lines',
    schema: 'PopOrder',
    lineSchema: 'PopOrderLine',
    requestSchema: 'PopOrdersNewRequest',
    traders: 'suppliers',
    traderKey: 'supplier_id',
    traderNoun: 'supplier',
    orderKey: 'pop_order_id',
    valueField: 'value_of_current_orders_in_pop',
    stockLines: 'pop_order_lines',
    noun: 'purchase order',
    lineNoun: 'purchase order line',
  },
  // A quotation follows the sales order rules (line defaults from product and customer, `priceOrderLine` and
  // `totalOrder`, line changes by id and `is_to_delete`, server-owned number and totals, a fixed customer), except
  // that it holds no stock and counts in no account value (assumed; README, Fidelity: Writes).
  quote: {
    kind: 'sop',
    document: 'quote',
    orders: 'sop_quotes',
    lines: 'sop_quote_lines',
    drafts: 'sop_quote_drafts',
    draftLines: 'sop_quote_draft_lines',
    schema: 'SopQuote',
    lineSchema: 'SopQuoteLine',
    requestSchema: 'SopQuotesNewRequest',
    traders: 'customers',
    traderKey: 'customer_id',
    traderNoun: 'customer',
    orderKey: 'sop_quote_id',
    noun: 'sales quotation',
    lineNoun: 'sales quotation line',
  },
};

/** Where a write takes a document from and where it puts it: the order book, or the draft tables. */
export interface Placement {
  from: 'new' | 'live' | 'draft';
  to: 'live' | 'draft';
}

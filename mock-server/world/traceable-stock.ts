/**
 * Where a traceable product's batch and serial numbers are, replayed from its stock movements
 * (`/product_transaction_views`) in the order they were made: a movement into stock brings in the traceable items
 * received by it (`traceable_items.product_transaction_view_id`), a movement out takes the oldest of the bin's items
 * first, and a transfer carries the items it took out of one bin into the other. The seed names each item's bins
 * with it (mock-server/seed/traceable-items.ts) and the traceable views read quantities from it
 * (mock-server/views/traceable-items.ts), so both see the same stock.
 */
import type { SageRecord } from './model.ts';

/** One movement's share of one traceable item: positive into its bin, negative out of it. */
export interface TraceableMove {
  readonly movement: SageRecord;
  readonly itemId: number;
  readonly warehouseName: string;
  readonly binName: string;
  readonly quantity: number;
  /** Half of a transfer between bins: the item's own quantity is unchanged by it. */
  readonly transfer: boolean;
}

/** An item's quantity in one bin. */
export interface TraceableBinStock {
  readonly itemId: number;
  readonly warehouseName: string;
  readonly binName: string;
  quantity: number;
}

interface Lot {
  itemId: number;
  quantity: number;
}

const TRANSFER_TYPES = new Set(['TransferIn', 'TransferOut']);
const SERIAL = 'EnumTraceableTypeSerial';

/** Quantities carry five decimal places (Sage's `decimal 5dp`). */
const qty = (value: number): number => Math.round(value * 100_000) / 100_000;

/** The key of an item's stock in one bin. */
export const traceableBinKey = (itemId: number, warehouseName: string, binName: string): string =>
  `${itemId}|${warehouseName}|${binName}`;

/**
 * Replays one product's movements over the items they received. `itemsOf` gives the items a movement brought in:
 * a batch takes the whole quantity, each serial number one unit. Bins are filled and emptied in id order, the order
 * the seed made the movements in, which keeps every bin at or above zero.
 */
export function replayTraceableStock(
  movements: readonly SageRecord[],
  itemsOf: (movementId: number) => readonly SageRecord[],
): { moves: TraceableMove[]; stock: Map<string, TraceableBinStock> } {
  const bins = new Map<string, Lot[]>();
  const inTransit = new Map<string, Lot[]>();
  const moves: TraceableMove[] = [];
  const stock = new Map<string, TraceableBinStock>();
  const record = (movement: SageRecord, lot: Lot, sign: number): void => {
    const warehouseName = String(movement.warehouse_name);
    const binName = String(movement.bin_name);
    const quantity = sign * lot.quantity;
    const transfer = TRANSFER_TYPES.has(String(movement.transaction_type));
    moves.push({ movement, itemId: lot.itemId, warehouseName, binName, quantity, transfer });
    const key = traceableBinKey(lot.itemId, warehouseName, binName);
    const held = stock.get(key) ?? { itemId: lot.itemId, warehouseName, binName, quantity: 0 };
    held.quantity = qty(held.quantity + quantity);
    stock.set(key, held);
  };
  const sorted = [...movements].sort((a, b) => Number(a.id) - Number(b.id));
  for (const movement of sorted) {
    const binKey = `${String(movement.warehouse_name)}|${String(movement.bin_name)}`;
    const queue = bins.get(binKey) ?? [];
    bins.set(binKey, queue);
    const quantity = Number(movement.quantity ?? 0);
    const reference = String(movement.reference);
    if (quantity > 0) {
      const lots =
        movement.transaction_type === 'TransferIn'
          ? (inTransit.get(reference) ?? [])
          : itemsOf(Number(movement.id)).map((item) => ({
              itemId: Number(item.id),
              quantity: item.traceable_type === SERIAL ? 1 : quantity,
            }));
      inTransit.delete(reference);
      for (const lot of lots) {
        queue.push({ ...lot });
        record(movement, lot, 1);
      }
    } else if (quantity < 0) {
      let wanted = -quantity;
      const taken: Lot[] = [];
      while (wanted > 0 && queue.length > 0) {
        const oldest = queue[0]!;
        const part = Math.min(oldest.quantity, wanted);
        taken.push({ itemId: oldest.itemId, quantity: part });
        oldest.quantity = qty(oldest.quantity - part);
        wanted = qty(wanted - part);
        if (oldest.quantity === 0) queue.shift();
      }
      for (const lot of taken) record(movement, lot, -1);
      if (movement.transaction_type === 'TransferOut') inTransit.set(reference, taken);
    }
  }
  return { moves, stock };
}

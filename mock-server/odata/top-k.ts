/** Bounded selection: the first k positions of an order without sorting them all. */

/** A total order over positions: it must never answer 0 for two different positions. */
export type PositionComparator = (a: number, b: number) => number;

/**
 * Positions 0..count-1 ordered by `compare`, first `k` only. Keeps a max-heap of the k best seen so far, so a page
 * of a large collection costs O(count log k) instead of a full sort; with k near count, sorts everything instead.
 * Because the order is total, the result is exactly the first k of a full sort.
 */
export function firstPositions(count: number, k: number, compare: PositionComparator): number[] {
  if (k <= 0 || count === 0) return [];
  if (k * 4 >= count) {
    // (store/query-plan.ts names its plans by this same rule)
    const all = Array.from({ length: count }, (_, i) => i);
    all.sort(compare);
    return k < count ? all.slice(0, k) : all;
  }
  const heap: number[] = [];
  for (let i = 0; i < count; i++) {
    if (heap.length < k) {
      heap.push(i);
      siftUp(heap, heap.length - 1, compare);
    } else if (compare(i, heap[0] as number) < 0) {
      heap[0] = i;
      siftDown(heap, 0, compare);
    }
  }
  return heap.sort(compare);
}

/** Max-heap by `compare`: the worst kept position is at the root, ready to be replaced. */
function siftUp(heap: number[], at: number, compare: PositionComparator): void {
  const item = heap[at] as number;
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = heap[parent] as number;
    if (compare(item, above) <= 0) break;
    heap[i] = above;
    i = parent;
  }
  heap[i] = item;
}

function siftDown(heap: number[], at: number, compare: PositionComparator): void {
  const length = heap.length;
  const item = heap[at] as number;
  let i = at;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= length) break;
    const right = left + 1;
    let larger = left;
    if (right < length && compare(heap[right] as number, heap[left] as number) > 0) larger = right;
    const child = heap[larger] as number;
    if (compare(child, item) <= 0) break;
    heap[i] = child;
    i = larger;
  }
  heap[i] = item;
}

/**
 * The `k` smallest of `values`, ascending, without sorting them all: firstPositions for plain numbers (such as
 * record keys), with no comparator calls. `values` is reordered.
 */
export function smallestNumbers(values: Float64Array, k: number): Float64Array {
  const count = values.length;
  if (k <= 0 || count === 0) return new Float64Array(0);
  if (k * 4 >= count) return values.sort().subarray(0, Math.min(k, count));
  const heap = new Float64Array(k); // a max-heap of the k smallest seen so far
  let size = 0;
  for (let i = 0; i < count; i++) {
    const value = values[i] as number;
    if (size < k) {
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if ((heap[parent] as number) >= value) break;
        heap[at] = heap[parent] as number;
        at = parent;
      }
      heap[at] = value;
    } else if (value < (heap[0] as number)) {
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= k) break;
        const right = left + 1;
        const larger = right < k && (heap[right] as number) > (heap[left] as number) ? right : left;
        if ((heap[larger] as number) <= value) break;
        heap[at] = heap[larger] as number;
        at = larger;
      }
      heap[at] = value;
    }
  }
  return heap.sort();
}

/**
 * A fixed-capacity ring buffer: the slots are allocated once, a push overwrites the oldest entry in O(1), and
 * memory never grows past `capacity` entries however many are pushed.
 */
export class RingBuffer<T> {
  readonly #slots: (T | undefined)[];
  #next = 0;
  #length = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`a ring buffer needs a capacity of at least 1, not ${capacity}`);
    }
    this.#slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.#length;
  }

  /** Slots held, always `capacity`: what a test checks to see that the buffer never grows. */
  get allocated(): number {
    return this.#slots.length;
  }

  /** The entry the next push overwrites, once the buffer is full; undefined while it still has room. */
  get oldest(): T | undefined {
    return this.#length === this.capacity ? this.#slots[this.#next] : undefined;
  }

  push(item: T): void {
    this.#slots[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#length < this.capacity) this.#length += 1;
  }

  /** Entries from the newest to the oldest. */
  *newestFirst(): IterableIterator<T> {
    for (let i = 1; i <= this.#length; i++) {
      yield this.#slots[(this.#next - i + this.capacity) % this.capacity] as T;
    }
  }

  clear(): void {
    this.#slots.fill(undefined);
    this.#next = 0;
    this.#length = 0;
  }
}

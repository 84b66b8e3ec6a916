/**
 * The sandbox clock. It follows the wall clock plus an offset that the admin API moves forward, so every expiry
 * (tokens, codes) and every `date_time_updated` can be driven by a test without waiting. A frozen clock stands
 * still between advances, so a test can step to one second before an expiry and know it is still there. A clock
 * given a start (a world built as of another date) begins there and runs on from it.
 */
export class SandboxClock {
  #offsetMs = 0;
  /** Where the start put sandbox time against the wall clock (0 without a start). */
  #startOffsetMs = 0;
  readonly #frozenAt: number | undefined;
  readonly #startAt: number | undefined;

  constructor(
    private readonly wallClock: () => number = Date.now,
    options: { frozen?: boolean; startAt?: number | undefined } = {},
  ) {
    this.#frozenAt = options.frozen ? wallClock() : undefined;
    this.#startAt = options.startAt;
    this.#restart();
  }

  #restart(): void {
    this.#startOffsetMs =
      this.#startAt === undefined ? 0 : this.#startAt - (this.#frozenAt ?? this.wallClock());
  }

  get frozen(): boolean {
    return this.#frozenAt !== undefined;
  }

  /** Milliseconds since the epoch, sandbox time. */
  now(): number {
    return (this.#frozenAt ?? this.wallClock()) + this.#startOffsetMs + this.#offsetMs;
  }

  /** Sandbox time as a Date. */
  date(): Date {
    return new Date(this.now());
  }

  /** Seconds since the epoch, sandbox time (the unit JWT claims use). */
  epochSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Moves sandbox time forward; it never goes back. */
  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError('the clock only moves forward by a finite, non-negative number of seconds');
    }
    this.#offsetMs += Math.round(seconds * 1000);
  }

  /** Puts sandbox time back on the wall clock, the frozen instant or the start: `POST /admin/reset` only. */
  resetOffset(): void {
    this.#offsetMs = 0;
    this.#restart();
  }

  /** How far sandbox time is ahead of the wall clock, in seconds (negative for a start in the past). */
  offsetSeconds(): number {
    return (this.#startOffsetMs + this.#offsetMs) / 1000;
  }
}

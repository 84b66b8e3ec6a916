/**
 * The sandbox clock. It follows the wall clock plus an offset that the admin API moves forward, so every expiry
 * (tokens, codes) and every `date_time_updated` can be driven by a test without waiting. A frozen clock stands
 * still between advances, so a test can step to one second before an expiry and know it is still there.
 */
export class SandboxClock {
  #offsetMs = 0;
  readonly #frozenAt: number | undefined;

  constructor(
    private readonly wallClock: () => number = Date.now,
    options: { frozen?: boolean } = {},
  ) {
    this.#frozenAt = options.frozen ? wallClock() : undefined;
  }

  get frozen(): boolean {
    return this.#frozenAt !== undefined;
  }

  /** Milliseconds since the epoch, sandbox time. */
  now(): number {
    return (this.#frozenAt ?? this.wallClock()) + this.#offsetMs;
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

  /** Puts sandbox time back on the wall clock (or the frozen instant): `POST /admin/reset` only. */
  resetOffset(): void {
    this.#offsetMs = 0;
  }

  /** How far sandbox time is ahead of the wall clock, in seconds. */
  offsetSeconds(): number {
    return this.#offsetMs / 1000;
  }
}

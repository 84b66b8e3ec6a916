/**
 * When and how long to wait before repeating a throttled (429) or unavailable (503) call: exponential backoff with
 * full jitter, `Retry-After` honoured (RFC 9110 section 10.2.3), bounded in attempts and in total time. The clock,
 * the sleep and the randomness are injected so tests neither wait nor depend on chance.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */

export interface RetryPolicy {
  /** Most attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff step; step n is `baseDelayMs * 2^(n-1)`, capped at `maxDelayMs`, then jittered. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Most time from the first attempt to the start of the last; a wait that would end later is not taken. */
  maxTotalMs: number;
  /** Random extra wait added to a Retry-After, so clients told the same value do not all return together. */
  retryAfterJitterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxTotalMs: 60_000,
  retryAfterJitterMs: 250,
};

/** The client's sense of time and chance. */
export interface Timing {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

export const SYSTEM_TIMING: Readonly<Timing> = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Statuses worth repeating: throttled, or temporarily unavailable. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * A `Retry-After` value in milliseconds: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3); undefined when
 * absent or unreadable. A date in the past means no wait.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[a-z]/i.test(trimmed)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed; undefined when the policy says
 * to stop (attempts used up, or the wait would end past the time budget counted from `startedMs`).
 */
export function nextDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  startedMs: number,
  policy: RetryPolicy,
  timing: Pick<Timing, 'now' | 'random'>,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const delay =
    retryAfterMs !== undefined
      ? retryAfterMs + Math.floor(timing.random() * policy.retryAfterJitterMs)
      : Math.floor(timing.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
  if (timing.now() + delay - startedMs > policy.maxTotalMs) return undefined;
  return delay;
}

/** Merges a partial policy over the defaults and checks it once, when the client is built. */
export function resolveRetryPolicy(input: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY };
  for (const [key, value] of Object.entries(input) as [keyof RetryPolicy, number | undefined][]) {
    if (value !== undefined) policy[key] = value;
  }
  for (const [key, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0)
      throw new TypeError(`retry.${key} must be a non-negative number`);
  }
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new TypeError('retry.maxAttempts must be a whole number, at least 1');
  }
  return policy;
}

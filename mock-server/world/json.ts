/** Comparing records as JSON values, as writes need to (did a body change a field, did a record change at all). */

/** Timestamps the server sets on every record and inline object it stores. */
export const SERVER_STAMPS: ReadonlySet<string> = new Set(['date_time_created', 'date_time_updated']);

/** A JSON object (not an array, not null). */
export function isJsonObject<T = unknown>(value: unknown): value is Record<string, T> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Structural equality of JSON values, whatever the key order; with `ignoreStamps`, SERVER_STAMPS at any depth do
 * not count (a body echoing a record read earlier).
 */
export function sameJson(a: unknown, b: unknown, ignoreStamps = false): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => sameJson(x, b[i], ignoreStamps))
    );
  }
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = (o: Record<string, unknown>): string[] =>
    Object.keys(o).filter((k) => !(ignoreStamps && SERVER_STAMPS.has(k)));
  const own = keys(a);
  return (
    own.length === keys(b).length &&
    own.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k], ignoreStamps))
  );
}

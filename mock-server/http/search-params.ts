/**
 * The query of a request URL (absolute, or a request target such as `/customers?$top=1`) as `URLSearchParams`,
 * without parsing the URL when it has no query at all.
 */
export function searchParams(url: string): URLSearchParams {
  // Most one-record calls carry no query; any URL with one is parsed in full, so its reading never changes.
  return url.includes('?') ? new URL(url, TARGET_BASE).searchParams : new URLSearchParams();
}

/** What a request target is read against; only its query is ever used. */
const TARGET_BASE = 'http://localhost';

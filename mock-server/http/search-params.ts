/** The query of a request URL as `URLSearchParams`, without parsing the URL when it has no query at all. */
export function searchParams(url: string): URLSearchParams {
  // Most one-record calls carry no query; any URL with one is parsed in full, so its reading never changes.
  return url.includes('?') ? new URL(url).searchParams : new URLSearchParams();
}

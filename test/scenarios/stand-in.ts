/**
 * A second sandbox standing in for the real Sage 200, with deliberate differences injected by a small middleware
 * around its app: what verify and the proxy must find, each exactly once.
 */
import type { FetchFunction } from '../../client/verify/http.ts';
import { API_BASE_PATH, type SandboxApp } from '../../mock-server/index.ts';

export interface Differences {
  /** `/customers` and `/customers/{Id}` serve `name` as `customer_name`. */
  renamedField?: boolean;
  /** `/suppliers` and `/suppliers/{Id}` serve an `account_status_type` member longer than any of the contract's. */
  longerEnumMember?: boolean;
  /** A list asked for without `$top` answers its first 100 records, not 500. */
  topDefault?: number;
  /** A gateway 401 comes with a JSON body instead of an empty one. */
  bodyOn401?: boolean;
  /** The first list read of `/currencies` is answered 429 with `Retry-After: 1`. */
  throttleOnce?: boolean;
}

export const LONGER_MEMBER = 'AccountStatusActiveButOnlyJustThisMonth';
export const ORIGIN = 'http://sage.test';

function renamed(record: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key === from ? to : key, value]));
}

/** `change` applied to each record of a list or record answer; a `$count` (a number) passes unchanged. */
function rewrite(
  body: unknown,
  change: (record: Record<string, unknown>) => Record<string, unknown>,
): unknown {
  const each = (record: unknown) =>
    typeof record === 'object' && record !== null ? change(record as Record<string, unknown>) : record;
  return Array.isArray(body) ? body.map(each) : each(body);
}

/** The sandbox's app as a fetch on ORIGIN, with `differences` applied to its answers. */
export function standIn(app: SandboxApp, differences: Differences = {}): FetchFunction {
  let throttled = false;
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(API_BASE_PATH)
      ? url.pathname.slice(API_BASE_PATH.length)
      : undefined;
    if (differences.throttleOnce && !throttled && path === '/currencies') {
      throttled = true;
      return Response.json(
        { statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' },
        { status: 429, headers: { 'Retry-After': '1' } },
      );
    }
    const sent =
      request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    const response = await app.fetch(
      new Request(`http://localhost${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        ...(sent === undefined ? {} : { body: sent }),
      }),
    );
    if (path === undefined) return response;
    if (differences.bodyOn401 && response.status === 401) {
      return Response.json(
        { statusCode: 401, message: 'Access denied due to invalid token.' },
        { status: 401 },
      );
    }
    if (response.status !== 200) return response;
    let body: unknown;
    const text = await response.text();
    try {
      body = JSON.parse(text);
    } catch {
      return new Response(text, response);
    }
    if (differences.renamedField && /^\/customers(\/\d+)?$/.test(path)) {
      body = rewrite(body, (record) => renamed(record, 'name', 'customer_name'));
    }
    if (differences.longerEnumMember && /^\/suppliers(\/\d+)?$/.test(path)) {
      body = rewrite(body, (record) => ({ ...record, account_status_type: LONGER_MEMBER }));
    }
    if (
      differences.topDefault !== undefined &&
      Array.isArray(body) &&
      !url.searchParams.has('$top') &&
      body.length > differences.topDefault
    ) {
      body = body.slice(0, differences.topDefault);
    }
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return Response.json(body, { status: 200, headers });
  };
}

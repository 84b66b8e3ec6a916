/**
 * What a request says about its OAuth client before any route has run: on the Sage API the bearer token's `azp`
 * (read, not verified: it only chooses a fault or labels a journal entry), on Sage ID the `client_id` of HTTP
 * Basic, the query or the form / JSON body. Read once per request and kept on the context.
 */
import type { Context } from 'hono';
import type { RequestPath } from './path-pattern.ts';

/** Bodies larger than this are not read for a client id (token requests are a few hundred bytes). */
const MAX_SNIFFED_BODY_BYTES = 16 * 1024;

export interface RequestFactsVariables {
  sandboxClientId?: { value: string | undefined };
}

/** The request's OAuth client id, or undefined when it names none. */
export async function requestClientId(
  c: Context<{ Variables: RequestFactsVariables }>,
  target: RequestPath,
): Promise<string | undefined> {
  const cached = c.get('sandboxClientId');
  if (cached) return cached.value;
  const value = await findClientId(c, target);
  c.set('sandboxClientId', { value });
  return value;
}

async function findClientId(c: Context, target: RequestPath): Promise<string | undefined> {
  const authorization = c.req.header('Authorization') ?? '';
  if (target.surface === 'api') return bearerClient(authorization);
  if (target.surface !== 'sage_id') return undefined;
  if (/^basic /i.test(authorization)) return basicClient(authorization.slice(6).trim());
  const fromQuery = new URL(c.req.url).searchParams.get('client_id');
  if (fromQuery) return fromQuery;
  return c.req.method === 'POST' ? bodyClient(c.req.raw) : undefined;
}

function bearerClient(authorization: string): string | undefined {
  const token = /^bearer +([A-Za-z0-9\-_.]+)/i.exec(authorization)?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (typeof claims !== 'object' || claims === null) return undefined;
    const azp = (claims as Record<string, unknown>).azp;
    return typeof azp === 'string' ? azp : undefined;
  } catch {
    return undefined;
  }
}

function basicClient(encoded: string): string | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

async function bodyClient(request: Request): Promise<string | undefined> {
  const declared = Number(request.headers.get('Content-Length') ?? '0');
  if (!request.body || declared > MAX_SNIFFED_BODY_BYTES) return undefined;
  const type = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json') return undefined;
  // A clone tees the body, so the route still reads all of it.
  const text = await readAtMost(request.clone(), MAX_SNIFFED_BODY_BYTES);
  if (text === undefined) return undefined;
  if (type === 'application/x-www-form-urlencoded')
    return new URLSearchParams(text).get('client_id') ?? undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    const id =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>).client_id
        : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

async function readAtMost(request: Request, limit: number): Promise<string | undefined> {
  const reader = request.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: cancelling one branch of a teed body settles only once the route's branch is done too.
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
}

/**
 * The Node request behind a Hono request, when there is one. On a listening server @hono/node-server passes
 * `{ incoming, outgoing }` as the env; in process (`app.request()`, MSW) there is none. Reading the request line,
 * the raw headers and the body straight from it skips the web Request wrapper: the per-request path of the
 * journal and of writes uses it when it can, and the web Request otherwise.
 */
import { IncomingMessage } from 'node:http';

export function nodeRequest(env: unknown): IncomingMessage | undefined {
  const incoming =
    typeof env === 'object' && env !== null ? (env as { incoming?: unknown }).incoming : undefined;
  return incoming instanceof IncomingMessage ? incoming : undefined;
}

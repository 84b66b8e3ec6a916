/**
 * The connection-reset fault. On a listening server the sandbox writes the start of the response head (status
 * line and a header, never the blank line that ends the head) and then resets the TCP connection, so an HTTP
 * client sees the socket die mid-response. In process (`app.request()`, no socket) the call rejects with the
 * error Node's fetch gives for that: `TypeError: fetch failed`, cause `ECONNRESET`.
 */
import { ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** Milliseconds between the partial head and the reset. */
const RESET_DELAY_MS = 10;

/** Thrown in process instead of a response; the app's error handler lets it through so `app.request()` rejects. */
export class ConnectionReset extends TypeError {
  constructor(readonly rules: readonly string[]) {
    super('fetch failed', {
      cause: Object.assign(new Error(`read ECONNRESET (sandbox fault ${rules.join(', ')})`), {
        code: 'ECONNRESET',
      }),
    });
  }
}

/**
 * Cuts the response off. Over a socket (@hono/node-server passes `{ incoming, outgoing }` as the env) the start
 * of the head is written, the socket is taken from the response (whatever the server writes next goes nowhere)
 * and reset on the next tick; in process it throws ConnectionReset.
 */
export function resetConnection(env: unknown, response: Response, rules: readonly string[]): void {
  const outgoing =
    typeof env === 'object' && env !== null ? (env as { outgoing?: unknown }).outgoing : undefined;
  const socket = outgoing instanceof ServerResponse ? outgoing.socket : null;
  if (!(outgoing instanceof ServerResponse) || !socket) throw new ConnectionReset(rules);
  cut(outgoing, socket, response);
}

function cut(outgoing: ServerResponse, socket: Socket, response: Response): void {
  if (socket.destroyed) return;
  const type = response.headers.get('Content-Type') ?? 'application/json; charset=utf-8';
  socket.write(
    `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\nContent-Type: ${type}\r\n`,
  );
  outgoing.detachSocket(socket);
  // A TCP RST rather than a FIN, so the client reads ECONNRESET, as when a proxy drops the connection. The reset
  // waits a moment: one that reaches the client together with the partial head is read as a plain close.
  setTimeout(() => socket.resetAndDestroy(), RESET_DELAY_MS);
}

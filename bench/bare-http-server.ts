/**
 * The floor for per-request overhead: a bare node:http server, no framework, answering each benchmarked URL with
 * the bytes the sandbox sent for it, encoded once up front. `node --import tsx bench/bare-http-server.ts
 * <bodies.json>` prints `listening <port>`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const [bodiesFile] = process.argv.slice(2);
if (!bodiesFile) throw new Error('usage: bare-http-server.ts <bodies.json>');
const bodies = new Map(
  Object.entries(JSON.parse(readFileSync(bodiesFile, 'utf8')) as Record<string, string>).map(
    ([url, body]) => [url, Buffer.from(body)] as const,
  ),
);

const server = createServer((request, response) => {
  const body = bodies.get(request.url ?? '');
  if (body === undefined) {
    response.writeHead(404, { 'Content-Length': '0' }).end();
    return;
  }
  response
    .writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.byteLength })
    .end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => process.exit(0));

/**
 * The baseline: a bare Hono route on the same Node server adapter, serving the exact bytes the sandbox served for
 * each benchmarked URL. The gap between the two is what the sandbox's own work costs.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const [bodiesFile] = process.argv.slice(2);
if (!bodiesFile) throw new Error('usage: bare-server.ts <bodies.json>');
// Encoded once up front, as the sandbox caches its records: the baseline only routes and writes bytes.
const bodies = new Map(
  Object.entries(JSON.parse(readFileSync(bodiesFile, 'utf8')) as Record<string, string>).map(
    ([url, body]) => [url, Buffer.from(body)] as const,
  ),
);

const app = new Hono();
app.get('*', (c) => {
  const url = new URL(c.req.url);
  const body = bodies.get(`${url.pathname}${url.search}`);
  if (body === undefined) return c.body(null, 404);
  return c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`listening ${info.port}\n`);
});
process.once('SIGTERM', () => server.close());

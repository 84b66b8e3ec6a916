/**
 * Write bodies on a listening sandbox, where they are read from the Node request itself rather than through the
 * web Request (mock-server/resources/write-guards.ts): a body arriving in pieces, a declared or streamed body over
 * the 1 MiB limit, and a client that gives up half way.
 */
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_BASE_PATH, type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { MAX_BODY_BYTES } from '../../mock-server/resources/write-guards.ts';
import { callerFor, copyOfWorld, smallTestWorld, USERS } from '../support/sandbox.ts';

describe('write bodies on the wire', () => {
  let running: RunningSandbox;
  let headers: Record<string, string>;
  let port: number;
  const customers = () =>
    running.app.sandbox.store
      .site(headers['X-Site']!)!
      .companies.get(Number(headers['X-Company']))!
      .table('customers')
      .all().length;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: copyOfWorld(smallTestWorld()) });
    port = Number(new URL(running.url).port);
    headers = (await callerFor(running.app, USERS.full)).headers;
  });

  afterAll(async () => {
    await running.stop();
  });

  /** POSTs /customers with the body written in `pieces`, chunked (no Content-Length); resolves with the answer. */
  function chunked(
    pieces: string[],
    extra: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const sent = httpRequest(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: `${API_BASE_PATH}/customers`,
          headers: { ...headers, 'Content-Type': 'application/json', ...extra },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      sent.on('error', reject);
      const write = (i: number): void => {
        if (i === pieces.length) return void sent.end();
        sent.write(pieces[i], () => setImmediate(() => write(i + 1)));
      };
      write(0);
    });
  }

  it('creates a customer from a body that arrives in pieces', async () => {
    const before = customers();
    const json = JSON.stringify({ reference: 'WIRE1', name: 'Wire Pieces Ltd' });
    const answer = await chunked([json.slice(0, 10), json.slice(10, 25), json.slice(25)]);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ reference: 'WIRE1', name: 'Wire Pieces Ltd' });
    expect(customers()).toBe(before + 1);
  });

  it('refuses a declared Content-Length over the limit with 413 and creates nothing', async () => {
    const before = customers();
    const response = await request(running.server)
      .post(`${API_BASE_PATH}/customers`)
      .set(headers)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ reference: 'BIG1', name: 'x'.repeat(MAX_BODY_BYTES) }))
      .expect(413);
    expect(response.body).toEqual({ Message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` });
    expect(customers()).toBe(before);
  });

  it('answers 413 to a streamed body once it passes the limit, without waiting for its end', async () => {
    const before = customers();
    const piece = 'x'.repeat(256 * 1024);
    const answer = await chunked([
      '{"reference":"BIG2","name":"',
      ...Array.from({ length: 8 }, () => piece),
      '"}',
    ]);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      Message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
    });
    expect(customers()).toBe(before);
  });

  it('keeps serving, and quiet, after a client gives up half way through a body', async () => {
    const before = customers();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await new Promise<void>((resolve) => {
      const sent = httpRequest({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: `${API_BASE_PATH}/customers`,
        headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': '1000' },
      });
      sent.on('error', () => resolve());
      sent.write('{"reference":"GONE1",', () => setTimeout(() => sent.destroy(), 50));
      sent.on('close', () => resolve());
    });
    const after = await request(running.server).get(`${API_BASE_PATH}/sites`).set(headers).expect(200);
    expect((after.body as unknown[]).length).toBeGreaterThan(0);
    expect(customers()).toBe(before);
    // An expected disconnection is not reported as the sandbox's own "unexpected error".
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});

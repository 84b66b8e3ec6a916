/**
 * The provider on the wire: what an HTTP client reads from the real @hono/node-server listener, driven through
 * supertest. Status, headers and body as sent on the socket (Content-Length, chunked streaming, the empty 401,
 * no-store on Sage ID), where app.request() would show only the Response the app built.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE_PATH, type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { serializeWorld } from '../../mock-server/seed/index.ts';
import { callerFor, copyOfWorld, smallTestWorld, USERS } from '../support/sandbox.ts';

describe('a listening sandbox, on the wire', () => {
  let running: RunningSandbox;
  let headers: Record<string, string>;
  const api = (path: string) => `${API_BASE_PATH}${path}`;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, world: copyOfWorld(smallTestWorld()) });
    headers = (await callerFor(running.app, USERS.full)).headers;
  });

  afterAll(async () => {
    await running.stop();
  });

  it('sends a list as JSON with a Content-Length that counts its bytes', async () => {
    const response = await request(running.server)
      .get(api('/sales_posted_transactions?$top=5000'))
      .set(headers)
      .expect(200)
      .expect('Content-Type', 'application/json; charset=utf-8');
    expect(response.headers['transfer-encoding']).toBeUndefined();
    expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.text));
    expect((response.body as unknown[]).length).toBeGreaterThan(100);
  });

  it('refuses a call without a token with an empty 401, Content-Length 0 and the reason in a header', async () => {
    const response = await request(running.server).get(api('/customers')).expect(401);
    expect(response.headers['content-length']).toBe('0');
    expect(response.headers['content-type']).toBeUndefined();
    expect(response.headers['x-sandbox-reason']).toBe('no Authorization header');
    expect(response.text).toBe('');
  });

  it('sends Sage ID errors with Cache-Control: no-store and Pragma: no-cache', async () => {
    const response = await request(running.server)
      .post('/id/oauth/token')
      .type('form')
      .send({ grant_type: 'password', client_id: 'sandbox-client', client_secret: 'sandbox-secret' })
      .expect(403)
      .expect('Cache-Control', 'no-store')
      .expect('Pragma', 'no-cache');
    expect(response.body).toMatchObject({ error: 'unauthorized_client' });
  });

  it('sends a 429 fault with Retry-After, and the rule’s Location when it is added', async () => {
    const added = await request(running.server)
      .post('/admin/faults')
      .send({ path: '/sites', status: 429, retry_after: 7, times: 1 })
      .expect(201);
    expect(added.headers.location).toBe(`/admin/faults/${(added.body as { id: string }).id}`);
    await request(running.server).get(api('/sites')).set(headers).expect(429).expect('Retry-After', '7');
    await request(running.server).get(api('/sites')).set(headers).expect(200);
  });

  it('streams GET /admin/state in chunks, with no Content-Length, the same bytes as the world', async () => {
    const response = await request(running.server)
      .get('/admin/state')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => done(null, text));
      })
      .expect(200)
      .expect('Transfer-Encoding', 'chunked')
      .expect('Cache-Control', 'no-store');
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.body).toBe(serializeWorld(running.app.sandbox.store.world));
  });

  it('takes a world back with PUT /admin/state sent in chunks: a customer added since the export is gone', async () => {
    const exported = await request(running.server)
      .get('/admin/state')
      .set('Accept', 'application/x-ndjson')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const created = await request(running.server)
      .post(api('/customers'))
      .set(headers)
      .send({ reference: 'WIRE01', name: 'Wire Ltd' })
      .expect(200);
    const id = (created.body as { id: number }).id;
    await request(running.server)
      .get(api(`/customers/${id}`))
      .set(headers)
      .expect(200);

    const upload = request(running.server).put('/admin/state').set('Content-Type', 'application/x-ndjson');
    // Written in pieces with no Content-Length, so Node's client sends the body chunked.
    for (const line of (exported.body as Buffer).toString('utf8').split(/(?<=\n)/)) upload.write(line);
    const imported = await upload;
    expect(imported.status, imported.text).toBe(200);
    await request(running.server)
      .get(api(`/customers/${id}`))
      .set(headers)
      .expect(404);
  });
});

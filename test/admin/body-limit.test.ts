/**
 * The control API reads at most 1 MiB of a request body, and at most `maxStateBytes` of a world sent to
 * `PUT /admin/state`: a larger body is refused with 413 `too_large` in the admin error shape, whether its length is
 * declared, absent or a lie, and nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ADMIN_BODY_BYTES } from '../../mock-server/admin/index.ts';
import { parseCli } from '../../mock-server/cli.ts';
import { SandboxOptionsError } from '../../mock-server/index.ts';
import { admin } from '../faults/support.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { endlessBody } from '../support/streams.ts';

const KEY = 'correct-horse-battery-staple';

function put(
  path: string,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Request {
  return new Request(`http://127.0.0.1:3200/admin${path}`, {
    method: path === '/state' ? 'PUT' : 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** A JSON object padded past `bytes`, which the endpoint would otherwise read and refuse for its fields. */
function paddedJson(bytes: number, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...fields, pad: 'a'.repeat(bytes) });
}

describe('the control API body limit', () => {
  it.each(['/tokens', '/clock/advance', '/faults', '/reset', '/tenants'])(
    'refuses a body over 1 MiB to POST /admin%s with 413 too_large',
    async (path) => {
      const app = testSandbox();
      const response = await app.request(put(path, paddedJson(MAX_ADMIN_BODY_BYTES)));
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        error: 'too_large',
        message: `the body is larger than ${MAX_ADMIN_BODY_BYTES} bytes, the most this endpoint reads`,
      });
    },
  );

  it('adds no fault rule and creates no tenant when the body is too large', async () => {
    const app = testSandbox();
    const rule = paddedJson(MAX_ADMIN_BODY_BYTES, { path: '/id/*', status: 503 });
    expect((await app.request(put('/faults', rule))).status).toBe(413);
    expect(await (await admin(app, 'GET', '/faults')).json()).toEqual({ faults: [] });
    expect((await app.request(put('/tenants', paddedJson(MAX_ADMIN_BODY_BYTES)))).status).toBe(413);
    expect(app.tenants.list().map((t) => t.runtime.tenant)).toEqual(['default']);
  });

  it('stops reading a streamed body without Content-Length soon after the limit', async () => {
    const app = testSandbox();
    const { stream, pulled } = endlessBody();
    const response = await app.request(put('/tokens', stream));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'too_large' });
    expect(pulled()).toBeLessThan(2 * MAX_ADMIN_BODY_BYTES);
  });

  it('refuses a declared Content-Length over the limit without reading, and a lying one once the body passes it', async () => {
    const app = testSandbox();
    const { stream, pulled } = endlessBody();
    const declared = await app.request(put('/tokens', stream, { 'Content-Length': String(50 * 1024 ** 2) }));
    expect(declared.status).toBe(413);
    expect(pulled()).toBe(0);
    const lying = await app.request(
      put('/tokens', paddedJson(MAX_ADMIN_BODY_BYTES, { user: USERS.full }), { 'Content-Length': '20' }),
    );
    expect(lying.status).toBe(413);
  });

  it('checks the admin key before the size: without the key a large body gets 401 and is not read', async () => {
    const app = testSandbox({ adminKey: KEY });
    const { stream, pulled } = endlessBody();
    const response = await app.request(put('/tokens', stream));
    expect(response.status).toBe(401);
    expect(pulled()).toBe(0);
  });

  it('applies under a tenant prefix too', async () => {
    const app = testSandbox();
    const created = await admin(app, 'POST', '/tenants', {});
    const { id } = (await created.json()) as { id: string };
    const response = await app.request(
      new Request(`http://127.0.0.1:3200/tenants/${id}/admin/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: paddedJson(MAX_ADMIN_BODY_BYTES),
      }),
    );
    expect(response.status).toBe(413);
  });
});

describe('the PUT /admin/state limit', () => {
  it('reads a world larger than 1 MiB up to maxStateBytes', async () => {
    const app = testSandbox();
    const world = await (await admin(app, 'GET', '/state')).text();
    expect(world.length).toBeGreaterThan(MAX_ADMIN_BODY_BYTES);
    expect((await app.request(put('/state', world))).status).toBe(200);
  });

  it.each(['application/json', 'application/x-ndjson'])(
    'refuses a %s world over maxStateBytes with 413, naming --max-state-bytes, and keeps the world',
    async (type) => {
      const app = testSandbox({ maxStateBytes: 100_000 });
      const before = await (await admin(app, 'GET', '/state', undefined, { Accept: type })).text();
      const changed = before.replace('"seed":200', '"seed":201');
      const response = await app.request(put('/state', changed, { 'Content-Type': type }));
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        error: 'too_large',
        message:
          'the world is larger than 100000 bytes, the most this sandbox reads; start it with a larger --max-state-bytes',
      });
      expect(app.sandbox.store.world.seed).toBe(200);
    },
  );

  it('takes maxStateBytes from --max-state-bytes and refuses a bad value at start', () => {
    expect(parseCli(['--max-state-bytes', '2048'], {})).toMatchObject({ maxStateBytes: 2048 });
    expect(() => parseCli(['--max-state-bytes', '0'], {})).toThrow(
      '--max-state-bytes must be a whole number',
    );
    expect(() => testSandbox({ maxStateBytes: 0 })).toThrow(SandboxOptionsError);
  });
});

/**
 * Sage ID is reachable without credentials, even on a sandbox bound beyond loopback, so it reads at most 64 KiB of
 * any request body: a larger one is refused with 413 and Auth0's `invalid_request` body, whether its length is
 * declared, absent or a lie, and without the sandbox holding the whole body in memory.
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../mock-server/index.ts';
import { MAX_SAGE_ID_BODY_BYTES } from '../../mock-server/oauth/index.ts';
import { copyOfWorld, smallTestWorld, testSandbox, USERS } from '../support/sandbox.ts';
import { endlessBody } from '../support/streams.ts';
import { CLIENT_ID, CLIENT_SECRET, codeFor, REDIRECT_URI } from './support.ts';

const FORM = 'application/x-www-form-urlencoded';
const TOO_LARGE = {
  error: 'invalid_request',
  error_description: `The request body is larger than ${MAX_SAGE_ID_BODY_BYTES} bytes.`,
};

function post(
  path: string,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Request {
  return new Request(`http://127.0.0.1:3200${path}`, {
    method: 'POST',
    headers: { 'Content-Type': FORM, ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('the Sage ID body limit', () => {
  it.each(['/id/oauth/token', '/id/oauth/revoke', '/id/authorize', '/id/userinfo'])(
    'refuses a body over 64 KiB to %s with 413 and invalid_request',
    async (path) => {
      const app = testSandbox();
      const body = 'a'.repeat(MAX_SAGE_ID_BODY_BYTES + 1);
      const response = await app.request(post(path, body, { 'Content-Length': String(body.length) }));
      expect(response.status).toBe(413);
      expect(response.headers.get('Cache-Control')).toBe('no-store');
      expect(await response.json()).toEqual(TOO_LARGE);
    },
  );

  it('reads a body of exactly 64 KiB', async () => {
    const app = testSandbox();
    const body = `grant_type=password&pad=${'a'.repeat(MAX_SAGE_ID_BODY_BYTES - 24)}`;
    expect(body.length).toBe(MAX_SAGE_ID_BODY_BYTES);
    const response = await app.request(post('/id/oauth/token', body));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: client_id',
    });
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const app = testSandbox();
    const { stream, pulled } = endlessBody();
    const response = await app.request(post('/id/oauth/token', stream, { 'Content-Length': '314572800' }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(TOO_LARGE);
    expect(pulled()).toBe(0);
  });

  it('counts a streamed body without Content-Length and stops reading soon after the limit', async () => {
    const app = testSandbox();
    const { stream, pulled } = endlessBody();
    const response = await app.request(post('/id/oauth/token', stream));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(TOO_LARGE);
    expect(pulled()).toBeLessThan(4 * MAX_SAGE_ID_BODY_BYTES);
  });

  it('is not fooled by a Content-Length smaller than the body', async () => {
    const app = testSandbox();
    const response = await app.request(
      post('/id/oauth/token', 'a'.repeat(10 * MAX_SAGE_ID_BODY_BYTES), { 'Content-Length': '10' }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(TOO_LARGE);
  });

  it('answers a form POST over 16 KiB sent without a length (the client id sniff does not wait for it)', async () => {
    const app = testSandbox();
    const response = await app.request(post('/id/oauth/token', `pad=${'a'.repeat(20_000)}`));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: grant_type',
    });
  });

  it('changes nothing: a code sent in an oversized token request can still be exchanged', async () => {
    const app = testSandbox();
    const code = await codeFor(app, USERS.full);
    const exchange = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uri: REDIRECT_URI,
    });
    const padded = `${exchange}&pad=${'a'.repeat(MAX_SAGE_ID_BODY_BYTES)}`;
    expect((await app.request(post('/id/oauth/token', padded))).status).toBe(413);
    expect((await app.request(post('/id/oauth/token', exchange.toString()))).status).toBe(200);
  });

  it('refuses a chunked 8 MiB body on a real socket with 413 and keeps serving', async () => {
    const running = await startSandbox({ port: 0, world: copyOfWorld(smallTestWorld()) });
    try {
      const url = new URL('/id/oauth/token', running.url);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(url, { method: 'POST', headers: { 'Content-Type': FORM } });
        request.on('response', (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (text: string) => (body += text));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const write = () => {
          while (sent < 8 * 1024 * 1024) {
            sent += chunk.byteLength;
            if (!request.write(chunk)) return void request.once('drain', write);
          }
          request.end();
        };
        write();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual(TOO_LARGE);
      const after = await fetch(url, { method: 'POST', headers: { 'Content-Type': FORM }, body: '' });
      expect(after.status).toBe(400);
    } finally {
      await running.stop();
    }
  });
});

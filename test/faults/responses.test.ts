import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { api, type Caller, callerFor, sharedWorldSandbox, USERS } from '../support/sandbox.ts';
import { addFault } from './support.ts';

describe('fault responses', () => {
  let app: SandboxApp;
  let caller: Caller;

  beforeEach(async () => {
    app = sharedWorldSandbox();
    caller = await callerFor(app, USERS.full);
  });

  it.each([
    [429, { statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' }],
    [500, { Message: 'An error has occurred.' }],
    [503, { statusCode: 503, message: 'Service Unavailable' }],
    [504, { statusCode: 504, message: 'Gateway Timeout' }],
    [404, { statusCode: 404, message: 'Resource not found' }],
    [502, { statusCode: 502, message: 'Bad Gateway' }],
  ])('answers a %i fault on the API with the body the real service sends', async (status, body) => {
    await addFault(app, { status });
    const response = await caller.get('/customers');
    expect(response.status).toBe(status);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual(body);
  });

  it('answers a 401 fault as the gateway refuses a token: an empty body', async () => {
    await addFault(app, { status: 401 });
    const response = await caller.get('/customers');
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('');
  });

  it('sends Retry-After with a 429, 1 second by default, and the seconds in the message', async () => {
    await addFault(app, { status: 429, times: 1 });
    await addFault(app, { status: 429, retry_after: 7 });
    const first = await caller.get('/customers');
    expect(first.headers.get('Retry-After')).toBe('1');
    const second = await caller.get('/customers');
    expect(second.headers.get('Retry-After')).toBe('7');
    expect(await second.json()).toEqual({
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 7 seconds.',
    });
  });

  it('sends Retry-After with a 503 when the rule gives one, and none otherwise', async () => {
    await addFault(app, { status: 503, times: 1 });
    await addFault(app, { status: 503, retry_after: 30 });
    expect((await caller.get('/customers')).headers.get('Retry-After')).toBeNull();
    expect((await caller.get('/customers')).headers.get('Retry-After')).toBe('30');
  });

  it('sends a custom JSON body and custom headers instead of the defaults', async () => {
    await addFault(app, {
      status: 400,
      body: [{ code: 'E1', message: 'custom' }],
      headers: { 'X-Request-Id': 'abc', 'Cache-Control': 'no-cache' },
    });
    const response = await caller.get('/customers');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual([{ code: 'E1', message: 'custom' }]);
    expect(response.headers.get('X-Request-Id')).toBe('abc');
    expect(response.headers.get('Cache-Control')).toBe('no-cache');
  });

  it('sends a string body as text, with a Content-Type the rule may override', async () => {
    await addFault(app, {
      status: 502,
      body: '<html>Bad gateway</html>',
      headers: { 'Content-Type': 'text/html' },
    });
    const response = await caller.get('/customers');
    expect(response.status).toBe(502);
    expect(response.headers.get('Content-Type')).toBe('text/html');
    expect(await response.text()).toBe('<html>Bad gateway</html>');
  });

  it.each([
    [429, 'too_many_requests'],
    [503, 'temporarily_unavailable'],
    [500, 'server_error'],
    [403, 'invalid_grant'],
  ])('answers a %i fault on Sage ID with an OAuth error %s', async (status, error) => {
    await addFault(app, { path: '/id/oauth/token', status });
    const response = await app.request('/id/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error });
  });

  it('does not touch the world: a faulted call never reaches the routes', async () => {
    await addFault(app, { method: 'POST', path: '/customers', status: 503 });
    const response = await app.request(api('/customers'), {
      method: 'POST',
      headers: { ...caller.headers, 'Content-Type': 'application/json' },
      body: '{"reference":"FAULT1","name":"Never"}',
    });
    expect(response.status).toBe(503);
    const list = await caller.json<{ reference: string }[]>("/customers?$filter=reference eq 'FAULT1'");
    expect(list).toEqual([]);
  });
});

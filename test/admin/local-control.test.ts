/**
 * Without an admin key the control API answers this machine only: a request addressed to another name (DNS
 * rebinding) or sent by a page of another site is refused with 403 and changes nothing; the dashboard's own
 * same-origin calls and command-line calls go through.
 */
import { describe, expect, it } from 'vitest';
import { sharedWorldSandbox } from '../support/sandbox.ts';

describe('the control API on loopback', () => {
  it('refuses a Host that is not a loopback name, and tells why', async () => {
    const app = sharedWorldSandbox();
    const response = await app.request('http://evil.example/admin/tenants');
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'host_not_loopback' });
  });

  it('refuses a cross-site POST /admin/reset, even as a text/plain simple request, and resets nothing', async () => {
    const app = sharedWorldSandbox();
    await app.request('/admin/clock/advance', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"seconds":60}',
    });
    const before = await (await app.request('/admin/clock')).json();
    for (const headers of [
      { 'Content-Type': 'text/plain', Origin: 'https://evil.example' },
      { 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'cross-site' },
      { 'Content-Type': 'text/plain', Origin: 'null' },
    ]) {
      const response = await app.request('/admin/reset', { method: 'POST', headers, body: '{}' });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: 'cross_site' });
    }
    expect(await (await app.request('/admin/clock')).json()).toEqual(before);
  });

  it('serves the same origin and calls without an Origin', async () => {
    const app = sharedWorldSandbox();
    expect((await app.request('http://127.0.0.1:3200/admin/clock')).status).toBe(200);
    const sameOrigin = await app.request('http://127.0.0.1:3200/admin/clock', {
      headers: { Origin: 'http://127.0.0.1:3200', 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('leaves the decision to the key when one is set', async () => {
    const app = sharedWorldSandbox({ adminKey: 'a-long-enough-admin-key-0123' });
    const response = await app.request('http://sandbox.internal/admin/clock', {
      headers: { 'X-Admin-Key': 'a-long-enough-admin-key-0123' },
    });
    expect(response.status).toBe(200);
  });
});

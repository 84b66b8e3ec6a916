/**
 * A real browser through the Sage ID login page: Debian's Chromium, headless, driven by playwright-core.
 * CI installs /usr/bin/chromium (`apt-get install -y chromium`); elsewhere the test is skipped when it is missing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import { CHROMIUM, chromiumMissing, launchChromium } from '../support/chromium.ts';
import { smallTestWorld } from '../support/sandbox.ts';
import { AUDIENCE, CLIENT_ID, CLIENT_SECRET, claimsOf, type Tokens } from './support.ts';

const missing = chromiumMissing('browser test');

describe.skipIf(missing)(`the login page in headless Chromium (${CHROMIUM})`, () => {
  let running: RunningSandbox;
  let callbackServer: Server;
  let redirectUri: string;
  let browser: Browser;

  beforeAll(async () => {
    // The integrator's callback: a real page on its own port, registered like --redirect-uri would.
    callbackServer = createServer((_request, response) => {
      response
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!doctype html><title>callback</title><p>ok</p>');
    });
    await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
    running = await startSandbox({ port: 0, world: smallTestWorld(), redirectUris: [redirectUri] });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await new Promise((resolve) => callbackServer?.close(resolve));
  });

  it('approves as trial@sandbox.test, lands on the redirect URI with a code, and the code exchanges for tokens', async () => {
    const page = await browser.newPage();
    const query = new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: redirectUri,
      response_type: 'code',
      audience: AUDIENCE,
      scope: 'openid profile email offline_access',
      state: 'browser-state',
    });
    await page.goto(`${running.url}/id/authorize?${query}`);
    expect(await page.title()).toBe('Sign in with Sage ID');
    await page.getByLabel(/trial@sandbox\.test/).check();
    await page.getByLabel(/Password/).fill('any password');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri));

    const landed = new URL(page.url());
    expect(await page.textContent('p')).toBe('ok');
    expect(landed.searchParams.get('state')).toBe('browser-state');
    const code = landed.searchParams.get('code');
    expect(code).toBeTruthy();

    const response = await request(running.server)
      .post('/id/oauth/token')
      .type('form')
      .send({
        grant_type: 'authorization_code',
        code: code!,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uri: redirectUri,
      })
      .expect(200);
    const tokens = response.body as Tokens;
    expect(claimsOf(tokens.id_token!).email).toBe('trial@sandbox.test');
    expect(tokens.refresh_token).toBeTruthy();
    await page.close();
  });

  it('Deny sends the browser back with error=access_denied', async () => {
    const page = await browser.newPage();
    const query = new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: redirectUri,
      response_type: 'code',
      audience: AUDIENCE,
      scope: 'openid',
      state: 's',
    });
    await page.goto(`${running.url}/id/authorize?${query}`);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri));
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    await page.close();
  });
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

// What a user's own project does: import the package by name with plain Node, no TypeScript loader.
const CONSUMER = `
const { createSandbox, startSandbox } = await import('sage200-sandbox');
const app = createSandbox({ scale: 'small' });
const unauthenticated = await app.request('/uk/sage200/accounts/v1/sites');
const minted = await app.request('/admin/tokens', {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'full@sandbox.test' }),
});
const { access_token } = await minted.json();
const sites = await (await app.request('/uk/sage200/accounts/v1/sites', { headers: { Authorization: 'Bearer ' + access_token } })).json();
const running = await startSandbox({ port: 0, scale: 'small' });
const contract = await fetch(running.url + '/openapi.json');
await running.stop();
console.log(JSON.stringify({ unauthenticated: unauthenticated.status, sites: sites.length, contract: contract.status, apiUrl: running.apiUrl }));
`;

describe('the published entry point', () => {
  // Outside CI a clone built with --ignore-scripts has no dist/; in CI its absence is a failure, not a skip.
  it.skipIf(!existsSync(`${ROOT}/dist/mock-server/index.js`) && !process.env.CI)(
    "imports createSandbox and startSandbox by the package's name with plain Node",
    async () => {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CONSUMER], { cwd: ROOT });
      const result = JSON.parse(stdout) as {
        unauthenticated: number;
        sites: number;
        contract: number;
        apiUrl: string;
      };
      expect(result.unauthenticated).toBe(401);
      expect(result.sites).toBe(2);
      expect(result.contract).toBe(200);
      expect(result.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/uk\/sage200\/accounts\/v1\/$/);
    },
  );
});

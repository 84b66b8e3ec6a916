/**
 * A world whose companies a child process builds (the large world on a cache miss, world-cache/index.ts): the
 * sandbox answers Sage ID, tokens and `/sites` from the users and sites at once, and holds every request that needs
 * a company until the child has written the file. The small world stands in for the large one here.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../mock-server/index.ts';
import type { CompanyWorld } from '../../mock-server/world/model.ts';
import { TEST_AS_OF } from '../support/as-of.ts';

/** Opened by the test: until then the child's file counts as not yet written. */
const gate = vi.hoisted(() => {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open: () => open() };
});

vi.mock('../../mock-server/world-cache/index.ts', async (original) => {
  const real = await original<typeof import('../../mock-server/world-cache/index.ts')>();
  return {
    ...real,
    seededWorldApart: (options: Parameters<typeof real.seededWorldApart>[0]) =>
      real.seededWorldApart({ ...options, apart: true }),
  };
});

vi.mock('../../mock-server/world-cache/apart.ts', async (original) => {
  const real = await original<typeof import('../../mock-server/world-cache/apart.ts')>();
  return {
    ...real,
    buildWorldFile: (build: Parameters<typeof real.buildWorldFile>[0]) => {
      const builder = real.buildWorldFile(build);
      return { ...builder, written: builder.written.then(() => gate.opened) };
    },
  };
});

const { worldCacheKey } = await vi.importActual<typeof import('../../mock-server/world-cache/index.ts')>(
  '../../mock-server/world-cache/index.ts',
);

/** Whether a company is still known by its id and name only. */
const unbuilt = (company: CompanyWorld): boolean =>
  Object.getOwnPropertyDescriptor(company, 'company_details')?.get !== undefined;

describe('a sandbox whose companies are still being built', () => {
  let dir: string;
  let running: RunningSandbox;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sage200-while-building-'));
    running = await startSandbox({ port: 0, scale: 'small', asOf: TEST_AS_OF, cacheDir: dir });
  });
  afterAll(async () => {
    gate.open();
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = () => join(dir, worldCacheKey(200, 'small', TEST_AS_OF).fileName);
  const companies = () => running.app.sandbox.store.world.sites.flatMap((site) => site.companies);

  async function token(): Promise<string> {
    const response = await fetch(`${running.admin}/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'full@sandbox.test' }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('mints tokens and lists /sites without building or reading any company', async () => {
    const response = await fetch(`${running.apiUrl}sites`, {
      headers: { Authorization: `Bearer ${await token()}` },
    });
    expect(response.status).toBe(200);
    const sites = (await response.json()) as { company_name: string }[];
    expect(sites.map((site) => site.company_name)).toEqual(['Sandbox Full Ltd', 'Sandbox Full Holdings Ltd']);
    expect(companies().every(unbuilt)).toBe(true);
  });

  it("holds a company's request until the child has written the world, then answers it from the file", async () => {
    const authorization = `Bearer ${await token()}`;
    const [site] = (await (
      await fetch(`${running.apiUrl}sites`, { headers: { Authorization: authorization } })
    ).json()) as { site_id: string; company_id: number }[];
    let answered = false;
    const request = fetch(`${running.apiUrl}customers?$top=1`, {
      headers: {
        Authorization: authorization,
        'X-Site': site!.site_id,
        'X-Company': String(site!.company_id),
      },
    }).then((response) => {
      answered = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Not answered, and not built here: the request waits for the file.
    expect(answered).toBe(false);
    expect(companies().every(unbuilt)).toBe(true);
    gate.open();
    const response = await request;
    expect(response.status).toBe(200);
    expect((await response.json()) as unknown[]).toHaveLength(1);
    expect(existsSync(file())).toBe(true);
    expect(unbuilt(companies()[0]!)).toBe(false);
  });
});

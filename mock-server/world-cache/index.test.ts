import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_AS_OF } from '../../test/support/as-of.ts';
import { mintToken } from '../../test/support/sandbox.ts';
import { createSandbox } from '../app.ts';
import { parseCli } from '../cli.ts';
import { API_BASE_PATH } from '../http/paths.ts';
import type { StartupProgress } from '../options.ts';
import { buildWorld, serializeWorld } from '../seed/index.ts';
import type { CompanyWorld, World } from '../world/model.ts';
import { defaultCacheDir, seededWorld, seededWorldApart, worldCacheKey } from './index.ts';

const SMALL = { seed: 200, scale: 'small', asOf: TEST_AS_OF } as const;
/** Built once: every test compares what the cache gives with it. */
const fresh = buildWorld(SMALL);
const freshJson = serializeWorld(fresh);

let dir: string;
let warnings: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sage200-world-cache-'));
  warnings = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fromCache(options: { seed?: number; write?: 'sync' | 'background' } = {}) {
  return seededWorld({
    seed: options.seed ?? SMALL.seed,
    scale: SMALL.scale,
    asOf: SMALL.asOf,
    cacheDir: dir,
    write: options.write ?? 'sync',
    warn: (message) => warnings.push(message),
  });
}

function companies(world: World): CompanyWorld[] {
  return world.sites.flatMap((site) => site.companies);
}

/** Whether a company's records are still on disk only: its `collections` is the cache's lazy accessor. */
function unread(company: CompanyWorld): boolean {
  return Object.getOwnPropertyDescriptor(company, 'collections')?.get !== undefined;
}

/** Whether a company is still known by its id and name only: nothing has built or read it yet. */
function unbuilt(company: CompanyWorld): boolean {
  return Object.getOwnPropertyDescriptor(company, 'company_details')?.get !== undefined;
}

function cacheFiles(): string[] {
  return readdirSync(dir).sort();
}

describe('the world cache', () => {
  it('serves a cached world byte-identical to a freshly built one, table by table', () => {
    const built = fromCache();
    expect(built.found).toBe(false);
    const cached = fromCache();
    expect(cached.found).toBe(true);
    const pairs = companies(cached.world).map((company, i) => [company, companies(fresh)[i]!] as const);
    for (const [company, original] of pairs) {
      expect(Object.keys(company.collections)).toEqual(Object.keys(original.collections));
      for (const name of Object.keys(original.collections)) {
        expect(JSON.stringify(company.collections[name]), `${company.company_name} ${name}`).toBe(
          JSON.stringify(original.collections[name]),
        );
      }
      expect(JSON.stringify(company.nominal_entries)).toBe(JSON.stringify(original.nominal_entries));
    }
    expect(serializeWorld(cached.world)).toBe(freshJson);
    expect(warnings).toEqual([]);
  });

  it('reads the same file into independent worlds: a write to one changes no other', () => {
    fromCache();
    const one = fromCache().world;
    const two = fromCache().world;
    companies(one)[0]!.collections.customers.pop();
    expect(companies(two)[0]!.collections.customers).toHaveLength(
      companies(fresh)[0]!.collections.customers.length,
    );
  });

  it('tells onProgress whether it had the world, and builds only when it did not', () => {
    const steps: string[] = [];
    const onProgress = (step: { step: string }) => steps.push(step.step);
    const built = seededWorld({ ...SMALL, cacheDir: dir, write: 'sync', onProgress });
    seededWorld({ ...SMALL, cacheDir: dir, write: 'sync', onProgress });
    const count = companies(built.world).length;
    expect(steps).toEqual(['world-cache', 'world', ...Array(count).fill('company'), 'world-cache']);
  });

  it('writes nothing without a cache folder (--no-cache, cache: false)', () => {
    const { world, found, path } = seededWorld({ ...SMALL, cacheDir: undefined, write: 'sync' });
    expect({ found, path }).toEqual({ found: false, path: undefined });
    expect(serializeWorld(world)).toBe(freshJson);
    createSandbox({ ...SMALL, cache: false, cacheDir: dir });
    expect(cacheFiles()).toEqual([]);
  });

  it('keys each seed and scale apart, and names its file after them', () => {
    fromCache();
    fromCache({ seed: 7 });
    expect(cacheFiles()).toEqual(
      [
        worldCacheKey(200, 'small', TEST_AS_OF).fileName,
        worldCacheKey(7, 'small', TEST_AS_OF).fileName,
      ].sort(),
    );
    expect(
      cacheFiles().every((name) => /^world-(200|7)-small-\d{4}-\d{2}-\d{2}-[0-9a-f]{16}\.ndjson$/.test(name)),
    ).toBe(true);
  });

  it('keys a world by everything that decides it: as-of date, package, V8 and the code that builds it', () => {
    const key = worldCacheKey(200, 'medium', TEST_AS_OF);
    expect(key.facts).toMatchObject({
      seed: 200,
      scale: 'medium',
      as_of: TEST_AS_OF,
      package: expect.stringMatching(/^sage200-sandbox@\d+\.\d+\.\d+/),
      dependencies: expect.objectContaining({ '@faker-js/faker': expect.any(String) }),
      v8: process.versions.v8,
      sources: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const others = [
      worldCacheKey(201, 'medium', TEST_AS_OF),
      worldCacheKey(200, 'large', TEST_AS_OF),
      worldCacheKey(200, 'medium', '2026-11-03'),
    ];
    expect(new Set([key.id, ...others.map((other) => other.id)]).size).toBe(4);
  });

  it('builds again, and replaces the file, when the file under its name holds another world', () => {
    fromCache({ seed: 7 });
    const path = join(dir, worldCacheKey(200, 'small', TEST_AS_OF).fileName);
    renameSync(join(dir, worldCacheKey(7, 'small', TEST_AS_OF).fileName), path);
    const again = fromCache();
    expect(again.found).toBe(false);
    expect(warnings).toEqual([expect.stringContaining('another world (its key differs)')]);
    expect(serializeWorld(again.world)).toBe(freshJson);
    expect(fromCache().found).toBe(true);
  });

  it.each([
    ['an empty file', (path: string) => writeFileSync(path, '')],
    ['a file cut short', (path: string) => truncateSync(path, Math.floor(readFileSync(path).length / 2))],
    [
      'a file cut just before its last newline',
      (path: string) => truncateSync(path, readFileSync(path).length - 1),
    ],
    [
      'a changed byte in its header',
      (path: string) => {
        const bytes = readFileSync(path);
        const at = bytes.lastIndexOf('"company_name":"Sandbox Full Ltd"') + '"company_name":"S'.length;
        bytes[at] = 'Z'.charCodeAt(0);
        writeFileSync(path, bytes);
      },
    ],
    ['not a cache at all', (path: string) => writeFileSync(path, '{"hello":"world"}\n')],
  ])('never serves %s: it builds the world again and replaces the file', (_, damage) => {
    fromCache();
    const path = join(dir, worldCacheKey(200, 'small', TEST_AS_OF).fileName);
    damage(path);
    const again = fromCache();
    expect(again.found).toBe(false);
    expect(warnings).toEqual([
      expect.stringMatching(/^the cached world .* cannot be used \(.+\): building it again$/),
    ]);
    expect(serializeWorld(again.world)).toBe(freshJson);
    expect(fromCache().found).toBe(true);
  });

  it('never serves a company whose records fail their checksum: they come from a fresh build, which replaces the file', () => {
    fromCache();
    const path = join(dir, worldCacheKey(200, 'small', TEST_AS_OF).fileName);
    const bytes = readFileSync(path);
    // A digit of the first customer's balance, in company 1's section: still JSON, but not the bytes written.
    const at = bytes.indexOf('"balance":') + '"balance":'.length;
    bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;
    writeFileSync(path, bytes);
    const damaged = fromCache();
    expect(damaged.found).toBe(true);
    expect(warnings).toEqual([]);
    expect(serializeWorld(damaged.world)).toBe(freshJson);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^company 1 of the cached world .* cannot be read \(a company section fails its checksum\)/,
      ),
    ]);
    expect(readFileSync(path).equals(bytes)).toBe(false);
    warnings = [];
    expect(serializeWorld(fromCache().world)).toBe(freshJson);
    expect(warnings).toEqual([]);
  });

  it('rebuilds the companies not yet read when the file disappears under a running world', () => {
    fromCache();
    const cached = fromCache();
    expect(companies(cached.world)[0]!.collections.customers.length).toBeGreaterThan(0);
    rmSync(join(dir, worldCacheKey(200, 'small', TEST_AS_OF).fileName));
    expect(serializeWorld(cached.world)).toBe(freshJson);
    expect(warnings).toEqual([
      expect.stringMatching(/^company 2 of the cached world .* cannot be read \(ENOENT/),
    ]);
  });

  it('leaves one whole file and no temporary ones when two writers race', async () => {
    const first = fromCache({ write: 'background' });
    const second = fromCache({ write: 'background' });
    expect([first.found, second.found]).toEqual([false, false]);
    await Promise.all([first.written, second.written]);
    expect(cacheFiles()).toEqual([worldCacheKey(200, 'small', TEST_AS_OF).fileName]);
    expect(serializeWorld(fromCache().world)).toBe(freshJson);
    expect(warnings).toEqual([]);
  });

  it('writes in the background what the world was when it was built, whatever requests change meanwhile', async () => {
    const built = fromCache({ write: 'background' });
    companies(built.world)[0]!.collections.customers.length = 0;
    await built.written;
    expect(serializeWorld(fromCache().world)).toBe(freshJson);
  });

  it('stops a background write when told, leaving no file', async () => {
    const stop = new AbortController();
    const built = seededWorld({ ...SMALL, cacheDir: dir, write: 'background', signal: stop.signal });
    stop.abort();
    await built.written;
    expect(cacheFiles()).toEqual([]);
  });

  it('removes the files of older keys for the same seed and scale, and keeps the others', () => {
    const older = 'world-200-small-0123456789abcdef.ndjson';
    const other = 'world-7-small-0123456789abcdef.ndjson';
    writeFileSync(join(dir, older), 'old\n');
    writeFileSync(join(dir, other), 'old\n');
    fromCache();
    expect(cacheFiles()).toEqual([other, worldCacheKey(200, 'small', TEST_AS_OF).fileName].sort());
  });

  it("keeps another as-of date's world while it is in use, and drops it after a week unused", () => {
    const recent = 'world-200-small-2026-11-01-0123456789abcdef.ndjson';
    const stale = 'world-200-small-2026-10-01-0123456789abcdef.ndjson';
    const sameDay = `world-200-small-${TEST_AS_OF}-0123456789abcdef.ndjson`;
    for (const name of [recent, stale, sameDay]) writeFileSync(join(dir, name), 'old\n');
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    utimesSync(join(dir, stale), eightDaysAgo, eightDaysAgo);
    fromCache();
    expect(cacheFiles()).toEqual([recent, worldCacheKey(200, 'small', TEST_AS_OF).fileName].sort());
  });

  it('warns, and still serves the world, when the folder cannot be written', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const world = seededWorld({
      ...SMALL,
      cacheDir: join(file, 'cache'),
      write: 'sync',
      warn: (message) => warnings.push(message),
    }).world;
    expect(serializeWorld(world)).toBe(freshJson);
    expect(warnings).toEqual([
      expect.stringMatching(/^cannot write the world cache .*: the next start builds the world again$/),
    ]);
  });
});

describe('a sandbox on a cached world', () => {
  it('answers /sites without reading any company, and reads a company on its first request', async () => {
    createSandbox({ ...SMALL, cacheDir: dir });
    const app = createSandbox({ ...SMALL, cacheDir: dir });
    const world = app.sandbox.store.world;
    const token = await mintToken(app, 'full@sandbox.test');
    const sites = await app.request(`${API_BASE_PATH}/sites`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(sites.status).toBe(200);
    expect(await sites.json()).toHaveLength(2);
    expect(companies(world).every(unread)).toBe(true);
    const [site] = world.sites;
    const customers = await app.request(`${API_BASE_PATH}/customers?$top=1`, {
      headers: {
        Authorization: `Bearer ${token}`,
        'X-Site': site!.site_id,
        'X-Company': String(site!.companies[0]!.company_id),
      },
    });
    expect(customers.status).toBe(200);
    expect(companies(world).map(unread)).toEqual(companies(world).map((_, i) => i !== 0));
  });

  it('gives each tenant and each reset a world of its own from the cache', async () => {
    const app = createSandbox({ ...SMALL, cacheDir: dir });
    const post = (path: string, body: unknown) =>
      app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/admin/tenants', { scale: 'small' })).status).toBe(201);
    const before = app.sandbox.store.world;
    expect((await post('/admin/reset', {})).status).toBe(200);
    // Not `.not.toBe`: on objects that compares them deeply, which would read every company.
    expect(app.sandbox.store.world === before).toBe(false);
    expect(companies(app.sandbox.store.world).every(unread)).toBe(true);
    expect(serializeWorld(app.sandbox.store.world)).toBe(freshJson);
  });
});

describe('the cache folder', () => {
  it.each([
    ['the variable, when set', { SAGE200_SANDBOX_CACHE_DIR: '/ci/cache' }, 'linux', '/ci/cache'],
    ['XDG_CACHE_HOME on Linux', { XDG_CACHE_HOME: '/xdg' }, 'linux', '/xdg/sage200-sandbox'],
    ['~/.cache on Linux without XDG_CACHE_HOME', {}, 'linux', '/home/u/.cache/sage200-sandbox'],
    [
      '~/.cache for a relative XDG_CACHE_HOME, which the spec says to ignore',
      { XDG_CACHE_HOME: 'rel' },
      'linux',
      '/home/u/.cache/sage200-sandbox',
    ],
    ['~/Library/Caches on macOS', {}, 'darwin', '/home/u/Library/Caches/sage200-sandbox'],
  ] as const)('is %s', (_, env, platform, expected) => {
    expect(defaultCacheDir(env, platform, '/home/u')).toBe(expected);
  });

  it('is under LOCALAPPDATA on Windows', () => {
    expect(
      defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'),
    ).toMatch(/AppData.Local.sage200-sandbox.Cache$/);
  });

  it('is where the suite put it: no test touches the user cache directory', () => {
    expect(defaultCacheDir()).toBe(process.env.SAGE200_SANDBOX_CACHE_DIR);
    expect(existsSync(defaultCacheDir())).toBe(true);
  });
});

describe('the command line', () => {
  it('caches by default, in the default folder', () => {
    expect(parseCli([])).toMatchObject({ cache: true, cacheDir: undefined });
  });

  it('takes --cache-dir <path> and --no-cache', () => {
    expect(parseCli(['--cache-dir', '/ci/cache'])).toMatchObject({ cache: true, cacheDir: '/ci/cache' });
    expect(parseCli(['--no-cache'])).toMatchObject({ cache: false, cacheDir: undefined });
  });
});

describe('createSandbox options', () => {
  it.each([
    [{ cache: 'yes' }, 'cache must be true or false, not yes'],
    [{ cacheDir: ' ' }, 'cacheDir must be the path of a folder'],
  ])('refuses %j at start', (options, message) => {
    expect(() => createSandbox({ ...SMALL, ...(options as object) })).toThrow(message);
  });
});

describe('a world built apart, by a child process', () => {
  function apart(options: { cacheDir?: string | undefined; signal?: AbortSignal } = {}) {
    const progress: StartupProgress[] = [];
    const seeded = seededWorldApart({
      ...SMALL,
      cacheDir: 'cacheDir' in options ? options.cacheDir : dir,
      write: 'background',
      apart: true,
      onProgress: (step) => progress.push(step),
      signal: options.signal,
      warn: (message) => warnings.push(message),
    });
    return { seeded, progress };
  }

  it('has its users and sites at once, and its companies, byte for byte, once the child has written the file', async () => {
    const { seeded, progress } = apart();
    const built = await seeded;
    expect(built.found).toBe(false);
    expect(built.world.users).toEqual(fresh.users);
    expect(built.world.sites.map((site) => site.site_id)).toEqual(fresh.sites.map((site) => site.site_id));
    expect(companies(built.world).every(unbuilt)).toBe(true);
    await built.ready;
    expect(progress.map((step) => step.step)).toEqual(['world-cache', 'world']);
    expect(cacheFiles()).toEqual([worldCacheKey(SMALL.seed, SMALL.scale, SMALL.asOf).fileName]);
    expect(serializeWorld(built.world)).toBe(freshJson);
    const again = await apart().seeded;
    expect(again.found).toBe(true);
    expect(serializeWorld(again.world)).toBe(freshJson);
    expect(warnings).toEqual([]);
  });

  it('reads its companies from the file the child wrote, not from a build of its own', async () => {
    const built = await apart().seeded;
    await built.ready;
    // Emptied under the running world: the next company read fails its checks, which only a read from the file can.
    truncateSync(join(dir, cacheFiles()[0]!), 0);
    expect(serializeWorld(built.world)).toBe(freshJson);
    expect(warnings[0]).toMatch(/^company 1 of the cached world .* cannot be read/);
  });

  it('builds a company used before the file is written in this process, and the rest from the file', async () => {
    const built = await apart().seeded;
    const [first, ...others] = companies(built.world);
    expect(first!.next_id).toBe(companies(fresh)[0]!.next_id);
    await built.ready;
    expect(others.every(unbuilt)).toBe(true);
    expect(serializeWorld(built.world)).toBe(freshJson);
    expect(warnings).toEqual([]);
  });

  it('without a cache folder reads a temporary file it leaves nowhere on disk', async () => {
    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('sage200-sandbox-world-'));
    const built = await apart({ cacheDir: undefined }).seeded;
    await built.ready;
    expect(built.path).toBeUndefined();
    expect(serializeWorld(built.world)).toBe(freshJson);
    const after = readdirSync(tmpdir()).filter((name) => name.startsWith('sage200-sandbox-world-'));
    expect(after).toEqual(before);
  });

  it('builds each company in process, with a warning, when the child cannot write the file', async () => {
    const blocked = join(dir, 'a-file-not-a-folder');
    writeFileSync(blocked, '');
    const built = await apart({ cacheDir: blocked }).seeded;
    await built.ready;
    expect(serializeWorld(built.world)).toBe(freshJson);
    expect(warnings[0]).toMatch(
      /^the world could not be built apart \(the builder exited with 1: .*\): each company is built in this process when first used$/,
    );
  });

  it('stops the child when the sandbox stops, leaving no file, not even the one it was writing', async () => {
    const stopping = new AbortController();
    const built = await apart({ signal: stopping.signal }).seeded;
    // Killed while it writes: a killed process cannot remove its temporary file, so the sandbox must.
    await vi.waitFor(() => expect(cacheFiles().some((name) => name.endsWith('.tmp'))).toBe(true), {
      timeout: 10_000,
      interval: 5,
    });
    stopping.abort();
    await built.ready;
    expect(cacheFiles()).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

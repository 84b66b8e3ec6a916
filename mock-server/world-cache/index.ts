/**
 * The world cache: a seeded world is built once per key (`key.ts`) and kept on disk (`file.ts`); later starts
 * read its users, sites and companies at once and each company's records when it is first used. A file that
 * cannot be used is reported, rebuilt and replaced, never served.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SandboxOptions, StartupProgress } from '../options.ts';
import { buildWorld, buildWorldLazily } from '../seed/index.ts';
import { captureCompany } from '../store/world-shape.ts';
import { deferFields, deferredCompany } from '../world/deferred-company.ts';
import type { CompanyWorld, Scale, World } from '../world/model.ts';
import { buildWorldFile, type WorldSkeleton } from './apart.ts';
import {
  type CacheSource,
  readCacheHeader,
  readCompanySection,
  temporaryPathFor,
  WorldCacheError,
  writeCacheFile,
  writeCacheFileSync,
} from './file.ts';
import { type WorldCacheKey, worldCacheKey, worldCachePrefix } from './key.ts';
import { CACHE_DIR_ENV, defaultCacheDir } from './location.ts';

export { CACHE_DIR_ENV, defaultCacheDir, WorldCacheError, worldCacheKey };

/** The cache folder a sandbox's options choose, or undefined when the cache is off. */
export function worldCacheDir(options: Pick<SandboxOptions, 'cache' | 'cacheDir'>): string | undefined {
  return options.cache ? (options.cacheDir ?? defaultCacheDir()) : undefined;
}

export interface SeededWorldOptions {
  seed: number;
  scale: Scale;
  /** The as-of date (`YYYY-MM-DD`) the world is built relative to (`buildWorld`'s `asOf`). */
  asOf: string;
  /** The cache folder; undefined builds the world afresh and writes nothing. */
  cacheDir: string | undefined;
  /**
   * When a world built on a miss is written: `sync` before `seededWorld` returns (in process, where the caller
   * may exit as soon as its test is done); `background` after, while the sandbox serves (the command).
   */
  write: 'sync' | 'background';
  /** Told whether the cache had the world, then each step of a build. */
  onProgress?: ((progress: StartupProgress) => void) | undefined;
  /** Stops a background write (the sandbox is stopping); the temporary file is removed. */
  signal?: AbortSignal | undefined;
  /** Where problems with the cache are reported; stderr by default. They never stop the sandbox. */
  warn?: ((message: string) => void) | undefined;
  /** For `seededWorldApart`: whether a build goes to a child process; by default, the large world's does. */
  apart?: boolean | undefined;
}

export interface SeededWorld {
  world: World;
  /** The cache file, when the cache is on. */
  path: string | undefined;
  /** Whether the world came from the cache rather than being built. */
  found: boolean;
  /** Settles once a world built on a miss is on disk (or could not be written: a warning says why). */
  written: Promise<void>;
  /**
   * Settles (never rejects) once every company can be had without building it in this process: at once, except
   * while a child process builds the world (`seededWorldApart`). A company used before then is built here.
   */
  ready: Promise<void>;
}

const SETTLED = Promise.resolve();

function warnOnStderr(message: string): void {
  process.stderr.write(`sage200-sandbox: warning: ${message}\n`);
}

/** The seeded world for `seed`, `scale` and `asOf`: from the cache when it holds it, else built (and then cached). */
export function seededWorld(options: SeededWorldOptions): SeededWorld {
  const { seed, scale, asOf, cacheDir, onProgress } = options;
  const warn = options.warn ?? warnOnStderr;
  if (cacheDir === undefined) {
    return {
      world: buildWorldLazily({ seed, scale, asOf, onProgress }),
      path: undefined,
      found: false,
      written: SETTLED,
      ready: SETTLED,
    };
  }
  const key = worldCacheKey(seed, scale, asOf);
  const path = join(cacheDir, key.fileName);
  const job = (world: World): WriteJob => ({
    dir: cacheDir,
    path,
    key,
    world,
    prefix: worldCachePrefix(seed, scale),
    asOf,
    warn,
  });
  const rebuild = (): World => {
    const world = buildWorld({ seed, scale, asOf });
    writeNow(job(world));
    return world;
  };

  const cached = fromCache(path, key, rebuild, warn, onProgress);
  if (cached) return cached;
  onProgress?.({ step: 'world-cache', path, found: false });
  if (options.write === 'sync') {
    const world = buildWorld({ seed, scale, asOf, onProgress });
    writeNow(job(world));
    return { world, path, found: false, written: SETTLED, ready: SETTLED };
  }
  // Its companies are built between requests, one site at a time, then written; a request builds its own first.
  // Each is captured as built, so what requests change before the write is not in the file.
  const built = new Map<number, CompanyWorld>();
  const world = buildWorldLazily(
    { seed, scale, asOf, onProgress },
    { settled: (company) => built.set(company.company_id, captureCompany(company)) },
  );
  const written = writeLater(job(world), built, options.signal ?? new AbortController().signal);
  return { world, path, found: false, written, ready: SETTLED };
}

/** The world of the cache file at `path`, or undefined when there is none or it cannot be used (a warning says why). */
function fromCache(
  path: string,
  key: WorldCacheKey,
  rebuild: () => World,
  warn: (message: string) => void,
  onProgress: SeededWorldOptions['onProgress'],
): SeededWorld | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const { world, sections } = readCacheHeader(path, key);
    onProgress?.({ step: 'world-cache', path, found: true });
    touch(path);
    const lazy = lazyWorld(world, path, sections, rebuild, warn);
    return { world: lazy, path, found: true, written: SETTLED, ready: SETTLED };
  } catch (error) {
    warn(`the cached world ${path} cannot be used (${(error as Error).message}): building it again`);
    return undefined;
  }
}

/** The scales whose build is left to a child process by `seededWorldApart`. */
const BUILT_APART: ReadonlySet<Scale> = new Set(['large']);

/**
 * As `seededWorld`, but a large world missing from the cache is built by a child process (`apart.ts`) that writes
 * it to a file, and this process reads it from there as from the cache. A build leaves several times more garbage
 * than the world it makes, and V8 keeps the heap it grew to: the large world built in process keeps about 550 MiB
 * resident, read from a file about 430 MiB. The world's users and sites are here at once (they are drawn apart from
 * any company), so `/sites` is answered while the child works; `ready` settles once the file can be read. Without a
 * cache folder the file is a temporary one, unlinked once opened. If the child fails, each company is built in this
 * process when first used, as it is when used before `ready`.
 */
export async function seededWorldApart(options: SeededWorldOptions): Promise<SeededWorld> {
  const { seed, scale, asOf, cacheDir, onProgress, signal } = options;
  if (!(options.apart ?? BUILT_APART.has(scale))) return seededWorld(options);
  const warn = options.warn ?? warnOnStderr;
  const key = worldCacheKey(seed, scale, asOf);
  const path = cacheDir === undefined ? temporaryWorldPath() : join(cacheDir, key.fileName);
  const rebuild = (): World => buildWorld({ seed, scale, asOf });
  if (cacheDir !== undefined) {
    const cached = fromCache(path, key, rebuild, warn, onProgress);
    if (cached) return cached;
    onProgress?.({ step: 'world-cache', path, found: false });
  }
  const builder = buildWorldFile({ seed, scale, asOf, path, signal });
  let skeleton: WorldSkeleton;
  try {
    skeleton = await builder.skeleton;
  } catch (error) {
    if (signal?.aborted) throw error;
    warn(`the world could not be built apart (${(error as Error).message}): building it in this process`);
    return seededWorld({ ...options, cacheDir: undefined });
  }
  onProgress?.({
    step: 'world',
    seed,
    scale,
    companies: skeleton.sites.reduce((count, site) => count + site.companies.length, 0),
  });
  let fromFile: ReadonlyMap<number, CompanyWorld> | undefined;
  // Only if the child fails, or a company is used before the file is written: the world built here, lazily.
  let here: ReadonlyMap<number, CompanyWorld> | undefined;
  const builtHere = (companyId: number): CompanyWorld => {
    here ??= companiesById(seededWorld({ seed, scale, asOf, cacheDir: undefined, write: 'sync' }).world);
    return here.get(companyId)!;
  };
  const world: World = {
    ...skeleton,
    sites: skeleton.sites.map((site) => ({
      ...site,
      companies: site.companies.map(({ company_id, company_name }) => {
        const deferred = deferredCompany(company_id, company_name, () => {
          deferred.settle(fromFile?.get(company_id) ?? builtHere(company_id));
        });
        return deferred.company;
      }),
    })),
  };
  const read = (): void => {
    let source: CacheSource = path;
    if (cacheDir === undefined) {
      source = openSync(path, 'r');
      rmSync(path, { force: true });
    } else {
      prune(cacheDir, worldCachePrefix(seed, scale), asOf, path);
    }
    const header = readCacheHeader(source, key);
    fromFile = companiesById(lazyWorld(header.world, source, header.sections, rebuild, warn));
  };
  const ready = builder.written.then(read).catch((error: unknown) => {
    if (!signal?.aborted)
      warn(
        `the world could not be built apart (${(error as Error).message}): each company is built in this process when first used`,
      );
  });
  return { world, path: cacheDir === undefined ? undefined : path, found: false, written: ready, ready };
}

function companiesById(world: World): ReadonlyMap<number, CompanyWorld> {
  return new Map(
    world.sites.flatMap((site) => site.companies).map((company) => [company.company_id, company]),
  );
}

function temporaryWorldPath(): string {
  return join(tmpdir(), `sage200-sandbox-world-${process.pid}-${randomUUID()}.ndjson`);
}

/**
 * The world read from a cache header, whose companies' `collections` and `nominal_entries` are read from their
 * section on first use. When a section cannot be used, the world is built afresh once and every company not yet
 * read takes its records from that build (which also replaces the file).
 */
function lazyWorld(
  world: World,
  source: CacheSource,
  sections: readonly { offset: number; bytes: number; crc32: number }[],
  rebuild: () => World,
  warn: (message: string) => void,
): World {
  const companies = world.sites.flatMap((site) => site.companies);
  const recover = (): void => {
    const fresh = rebuild().sites.flatMap((site) => site.companies);
    deferred.forEach((company, index) => {
      if (!company.settled) company.settle(fresh[index]!);
    });
  };
  const deferred = companies.map((company, index) =>
    deferFields(company, RECORD_FIELDS, () => {
      try {
        deferred[index]!.settle(readCompanySection(source, sections[index]!));
      } catch (error) {
        warn(
          `company ${company.company_id} of the cached world ${typeof source === 'number' ? '' : `${source} `}cannot be read (${(error as Error).message}): building the world again`,
        );
        recover();
      }
    }),
  );
  return world;
}

/** What a cache file keeps apart for each company, read on the company's first use. */
const RECORD_FIELDS = ['collections', 'nominal_entries'] as const;

interface WriteJob {
  dir: string;
  path: string;
  key: WorldCacheKey;
  world: World;
  prefix: string;
  asOf: string;
  warn: (message: string) => void;
}

/** Writes a cache file before returning; says why when it could not, and never throws. */
function writeNow(job: WriteJob): void {
  const temporary = temporaryPathFor(job.path);
  try {
    mkdirSync(job.dir, { recursive: true });
    writeCacheFileSync(job.path, temporary, job.world, job.key);
  } catch (error) {
    cannotWrite(job, error);
    return;
  }
  prune(job.dir, job.prefix, job.asOf, job.path);
}

/** Writes a cache file while the sandbox serves; never rejects, and stops quietly when `signal` aborts. */
async function writeLater(
  job: WriteJob,
  built: ReadonlyMap<number, CompanyWorld>,
  signal: AbortSignal,
): Promise<void> {
  const temporary = temporaryPathFor(job.path);
  try {
    // One company per turn of the event loop, so requests are answered between them (reading one builds its site).
    for (const company of job.world.sites.flatMap((site) => site.companies)) {
      await nextTurn();
      if (signal.aborted) return;
      void company.next_id;
    }
    mkdirSync(job.dir, { recursive: true });
    // The companies as they were built, whatever requests have changed since.
    const world = {
      ...job.world,
      users: [...job.world.users],
      sites: job.world.sites.map((site) => ({
        ...site,
        companies: site.companies.map((company) => built.get(company.company_id)!),
      })),
    };
    await writeCacheFile(job.path, temporary, world, job.key, signal);
  } catch (error) {
    if (!signal.aborted) cannotWrite(job, error);
    return;
  }
  prune(job.dir, job.prefix, job.asOf, job.path);
}

function cannotWrite(job: WriteJob, error: unknown): void {
  job.warn(
    `cannot write the world cache ${job.path} (${(error as Error).message}): the next start builds the world again`,
  );
}

/** An hour: a temporary file older than this belongs to a writer that died. */
const STALE_TEMPORARY_MS = 3_600_000;

/** Marks a cache file as read now, so `prune` keeps it; a file that cannot be touched is still served. */
function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Only the pruning of other days' worlds looks at the time.
  }
}

/** A week: a world of another as-of date, neither written nor read for this long, is dropped. */
const UNUSED_DAY_MS = 7 * 86_400_000;

/**
 * Removes files of the same seed and scale under an older key: of the same as-of date (or named before the as-of
 * date was), or of another as-of date unused for a week (a read touches its file); and temporary files writers left
 * behind. So a new day's world does not evict the one a test run or a pinned `--as-of` still reads.
 */
function prune(dir: string, prefix: string, asOf: string, kept: string): void {
  try {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith('world-')) continue;
      const file = join(dir, name);
      if (name.endsWith('.tmp')) {
        if (Date.now() - statSync(file).mtimeMs > STALE_TEMPORARY_MS) rmSync(file, { force: true });
      } else if (name.startsWith(prefix) && name.endsWith('.ndjson') && file !== kept) {
        const dated = /^\d{4}-\d{2}-\d{2}-/.test(name.slice(prefix.length));
        const sameDay = name.startsWith(`${prefix}${asOf}-`);
        if (!dated || sameDay || Date.now() - statSync(file).mtimeMs > UNUSED_DAY_MS)
          rmSync(file, { force: true });
      }
    }
  } catch {
    // Tidying is a courtesy: a folder that cannot be listed or a file another process removed first is no fault.
  }
}

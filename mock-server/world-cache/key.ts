/**
 * What a cached world is keyed by: everything that decides its bytes. The seed and scale; the package and its
 * pinned dependencies (Faker names the people and places); the V8 version (the generator's floating-point
 * arithmetic); the as-of date the world is built relative to (mock-server/world/calendar.ts); and a digest of the generator's own code and
 * the contract it reads, so a clone whose sources changed never loads a world its code would no longer build.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scale } from '../world/model.ts';

/** The cache file format; bumped whenever its layout changes. */
export const WORLD_CACHE_FORMAT = 'sage200-sandbox/world-cache';
export const WORLD_CACHE_VERSION = 1;

/** The facts a cached world was built from, written into its file so a person can see what it is. */
export interface WorldCacheFacts {
  format: typeof WORLD_CACHE_FORMAT;
  version: number;
  seed: number;
  scale: Scale;
  /** The as-of date (`YYYY-MM-DD`) the world is built relative to: its history ends there. */
  as_of: string;
  package: string;
  dependencies: Record<string, string>;
  v8: string;
  /** SHA-256 of the generator's modules (seed/, world/) and the contract (contracts/). */
  sources: string;
}

export interface WorldCacheKey {
  /** SHA-256 of the facts, hex. */
  readonly id: string;
  /** The cache file's name: seed, scale and as-of date for people, then the start of the id. */
  readonly fileName: string;
  readonly facts: WorldCacheFacts;
}

/** The key of the world `buildWorld({ seed, scale, asOf })` builds with this code. */
export function worldCacheKey(seed: number, scale: Scale, asOf: string): WorldCacheKey {
  const { name, version, dependencies } = packageFacts();
  const facts: WorldCacheFacts = {
    format: WORLD_CACHE_FORMAT,
    version: WORLD_CACHE_VERSION,
    seed,
    scale,
    as_of: asOf,
    package: `${name}@${version}`,
    dependencies,
    v8: process.versions.v8,
    sources: sourcesDigest(),
  };
  const id = createHash('sha256').update(JSON.stringify(facts)).digest('hex');
  return { id, fileName: `${worldCachePrefix(seed, scale)}${asOf}-${id.slice(0, 16)}.ndjson`, facts };
}

/** How every cache file of one seed and scale begins, whatever its key. */
export function worldCachePrefix(seed: number, scale: Scale): string {
  return `world-${seed}-${scale}-`;
}

/** The code that builds worlds: this folder's siblings seed/ and world/, and contracts/, as sources or compiled. */
const SOURCE_FOLDERS = ['../seed/', '../world/', '../../contracts/'];
const SOURCE_FILE = /\.(ts|js|yaml|json)$/;
const NOT_SOURCE = /\.(test|test-d|d)\.ts$/;

let digest: string | undefined;

function sourcesDigest(): string {
  if (digest !== undefined) return digest;
  const hash = createHash('sha256');
  for (const folder of SOURCE_FOLDERS) {
    const path = fileURLToPath(new URL(folder, import.meta.url));
    for (const name of readdirSync(path).sort()) {
      if (!SOURCE_FILE.test(name) || NOT_SOURCE.test(name)) continue;
      const file = join(path, name);
      if (!statSync(file).isFile()) continue;
      hash.update(`${folder}${name}\0`).update(readFileSync(file)).update('\0');
    }
  }
  digest = hash.digest('hex');
  return digest;
}

interface PackageFacts {
  name: string;
  version: string;
  dependencies: Record<string, string>;
}

let pkg: PackageFacts | undefined;

/** The sandbox's own package.json, found upwards from this module (sources in a clone, dist/ when installed). */
function packageFacts(): PackageFacts {
  if (pkg) return pkg;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(folder, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<PackageFacts>;
      if (json.name === 'sage200-sandbox') {
        pkg = { name: json.name, version: String(json.version), dependencies: json.dependencies ?? {} };
        return pkg;
      }
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error('the sandbox cannot find its own package.json');
    folder = parent;
  }
}

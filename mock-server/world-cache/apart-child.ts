/**
 * The child process of `apart.ts`: `apart-child <seed> <scale> <path>` builds the seeded world, tells each step on
 * stdout as a JSON line, writes the world to `path` as a cache file (through a temporary name) and exits.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildWorld } from '../seed/index.ts';
import { SCALES, type Scale } from '../world/model.ts';
import { writeCacheFileSync } from './file.ts';
import { worldCacheKey } from './key.ts';

const [seedText, scaleText, path] = process.argv.slice(2);
const seed = Number(seedText);
if (!Number.isSafeInteger(seed) || !SCALES.includes(scaleText as Scale) || !path) {
  process.stderr.write('usage: apart-child <seed> <scale> <path>\n');
  process.exit(2);
}
const scale = scaleText as Scale;
const world = buildWorld({
  seed,
  scale,
  onProgress: (progress) => process.stdout.write(`${JSON.stringify(progress)}\n`),
});
mkdirSync(dirname(path), { recursive: true });
writeCacheFileSync(path, `${path}.${process.pid}.tmp`, world, worldCacheKey(seed, scale));

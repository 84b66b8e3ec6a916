/**
 * The child process of `apart.ts`: `apart-child <seed> <scale> <as-of> <path>` builds the seeded world, tells each step on
 * stdout as a JSON line, writes the world to `path` as a cache file (through a temporary name) and exits.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildWorld } from '../seed/index.ts';
import { checkAsOf } from '../world/calendar.ts';
import { SCALES, type Scale } from '../world/model.ts';
import { writeCacheFileSync } from './file.ts';
import { worldCacheKey } from './key.ts';

const [seedText, scaleText, asOf, path] = process.argv.slice(2);
const seed = Number(seedText);
const validAsOf = (value: string | undefined): value is string => {
  try {
    return checkAsOf(value) === value;
  } catch {
    return false;
  }
};
if (!Number.isSafeInteger(seed) || !SCALES.includes(scaleText as Scale) || !validAsOf(asOf) || !path) {
  process.stderr.write('usage: apart-child <seed> <scale> <as-of> <path>\n');
  process.exit(2);
}
const scale = scaleText as Scale;
const world = buildWorld({
  seed,
  scale,
  asOf,
  onProgress: (progress) => process.stdout.write(`${JSON.stringify(progress)}\n`),
});
mkdirSync(dirname(path), { recursive: true });
writeCacheFileSync(path, `${path}.${process.pid}.tmp`, world, worldCacheKey(seed, scale, asOf));

/**
 * The child process of `apart.ts`: `apart-child <seed> <scale> <as-of> <path> <temporary>` tells the seeded world's
 * skeleton on stdout as one JSON line, then builds the world, writes it to `temporary` as a cache file, renames
 * that to `path` and exits.
 */
import { mkdirSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildWorldLazily } from '../seed/index.ts';
import { checkAsOf } from '../world/calendar.ts';
import { SCALES, type Scale } from '../world/model.ts';
import { skeletonOf } from './apart.ts';
import { writeCacheFileSync } from './file.ts';
import { worldCacheKey } from './key.ts';

const [seedText, scaleText, asOf, path, temporary] = process.argv.slice(2);
const seed = Number(seedText);
const validAsOf = (value: string | undefined): value is string => {
  try {
    return checkAsOf(value) === value;
  } catch {
    return false;
  }
};
if (
  !Number.isSafeInteger(seed) ||
  !SCALES.includes(scaleText as Scale) ||
  !validAsOf(asOf) ||
  !path ||
  !temporary
) {
  process.stderr.write('usage: apart-child <seed> <scale> <as-of> <path> <temporary>\n');
  process.exit(2);
}
const scale = scaleText as Scale;
// Its companies are built as the file is written.
const world = buildWorldLazily({ seed, scale, asOf });
// Written before the build starts, on every platform (a write to a pipe is asynchronous on some).
writeSync(1, `${JSON.stringify(skeletonOf(world))}\n`);
mkdirSync(dirname(path), { recursive: true });
writeCacheFileSync(path, temporary, world, worldCacheKey(seed, scale, asOf));

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_AS_OF } from '../../test/support/as-of.ts';
import { buildWorld, serializeWorld } from '../seed/index.ts';
import { readCacheHeader, readCompanySection, writeCacheFileSync } from './file.ts';
import { worldCacheKey } from './key.ts';

const dir = mkdtempSync(join(tmpdir(), 'sage200-cache-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a cache file', () => {
  it('is ASCII only, and reads back any text exactly: accents, dashes, emoji', () => {
    const world = buildWorld({ seed: 200, scale: 'small', asOf: TEST_AS_OF });
    const company = world.sites[0]!.companies[0]!;
    const [customer] = company.collections.customers;
    company.collections.customers[0] = { ...customer, name: 'Zoë Brontë – café 😀 \u2028 "quoted" \\ back' };
    const key = worldCacheKey(200, 'small', TEST_AS_OF);
    const path = join(dir, key.fileName);
    writeCacheFileSync(path, `${path}.tmp`, world, key);

    const bytes = readFileSync(path);
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
    const { world: read, sections } = readCacheHeader(path, key);
    read.sites
      .flatMap((site) => site.companies)
      .forEach((c, i) => {
        Object.assign(c, readCompanySection(path, sections[i]!));
      });
    expect(serializeWorld(read)).toBe(serializeWorld(world));
    expect(read.sites[0]!.companies[0]!.collections.customers[0]!.name).toBe(
      'Zoë Brontë – café 😀 \u2028 "quoted" \\ back',
    );
  });
});

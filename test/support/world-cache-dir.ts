/**
 * Vitest global setup: the suite's sandboxes keep their world cache (mock-server/world-cache/) in a folder of their
 * own, made for the run and removed after it, never in the user's cache directory. Child processes the tests start
 * inherit it with the rest of the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_DIR_ENV } from '../../mock-server/world-cache/location.ts';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'sage200-sandbox-test-cache-'));
  process.env[CACHE_DIR_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

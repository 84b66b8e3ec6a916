import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three projects; `npm test` runs them all. `unit` (`npm run test:unit`, about 90 s on 2 cores) is every test that needs no
 * browser, no process of its own and no sweep: functions, `app.request()` on the small world, and listeners on
 * port 0. `slow` is the rest:
 * - test/scenarios/: the command as a real process (banner, SIGKILL durability), 500-request bursts, full syncs,
 *   the package, property-based ledgers;
 * - the browser tests (headless Chromium);
 * - the sweeps over every path, list, method and Sage's files (test/contract/every-path, odata-every-list,
 *   provider-every-method, sage-conformance, coverage);
 * - whole worlds on disk or built afresh: the state file's fsynced log and snapshots, `GET`/`PUT /admin/state`,
 *   tenant resets and isolation, the seed generator's worlds, the world cache.
 * `own-modules` holds the few files that replace a module for the whole file.
 * The type tests (`*.test-d.ts`) are compile-time assertions: `npm run typecheck` checks them with the rest of the
 * code, so the test run does not type-check the project a second time.
 */
const SLOW = [
  'test/scenarios/**/*.test.ts',
  'test/**/browser.test.ts',
  'test/contract/every-path.test.ts',
  'test/contract/odata-every-list.test.ts',
  'test/contract/provider-every-method.test.ts',
  'test/contract/sage-conformance.test.ts',
  'test/contract/coverage.test.ts',
  'mock-server/store/state-file.test.ts',
  'test/contract/admin-state.test.ts',
  'test/tenants/reset.test.ts',
  'test/tenants/isolation.test.ts',
  'mock-server/seed/world.test.ts',
  'test/world/uk-data.test.ts',
  'mock-server/world-cache/**/*.test.ts',
];

const ALL = ['test/**/*.test.ts', 'mock-server/**/*.test.ts', 'contracts/**/*.test.ts'];

/** Files that replace a module for the whole file (top-level `vi.mock`): each needs a module registry of its own. */
const OWN_MODULES = ['test/scenarios/start-while-building.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // A world cache folder for the run, so no test reads or fills the user's (test/support/world-cache-dir.ts).
    globalSetup: ['test/support/world-cache-dir.ts'],
    // Vitest's default, one fewer worker than cores, leaves a 2-core machine a single worker; the tests wait on
    // sockets, fsync and child processes often enough that two workers overlap well there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The tests make many short-lived megabytes (whole worlds as JSON): a larger young generation scavenges less
    // often. `npm test` took 245 s with it and 278 s without, one run each on the 2-core machine.
    execArgv: ['--max-semi-space-size=64'],
    projects: [
      {
        extends: true,
        // Files share modules and the frozen small world within a worker: loading the contract and building the
        // world once per worker rather than once per file is most of what keeps this project quick.
        test: { name: 'unit', include: ALL, exclude: SLOW, isolate: false },
      },
      {
        extends: true,
        // Sharing modules here too, rather than a fresh module registry per file, took about 40 s off `npm test`.
        test: { name: 'slow', include: SLOW, exclude: OWN_MODULES, isolate: false },
      },
      {
        extends: true,
        test: { name: 'own-modules', include: OWN_MODULES },
      },
    ],
  },
});

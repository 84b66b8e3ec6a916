/**
 * One tenant's state (docs/tenants.md): its world, clock, token service, Sage ID clients and grants, fault rules
 * and request journal. The default tenant is served at the root; every other one under `/tenants/{id}`. What never
 * changes (the signing key, the contract and the models built from it) is shared by all tenants of a sandbox.
 */
import { loadCatalog, loadContract } from '../contracts/index.ts';
import { SandboxClock } from './clock.ts';
import { FaultSet } from './faults/index.ts';
import { API_BASE_PATH, SAGE_ID_BASE_URL, SAGE200_API_BASE_URL } from './http/paths.ts';
import { RequestJournal } from './journal/index.ts';
import { YearEndWatch } from './ledger/index.ts';
import {
  type ClientCredentials,
  ClientRegistry,
  DEFAULT_CLIENT_CREDENTIALS,
  loadSigningKey,
  type SageIdState,
  type SigningKey,
  sageIdGrants,
  sandboxSigningKeyPem,
  TokenService,
} from './oauth/index.ts';
import type { SandboxOptions } from './options.ts';
import { type ContractSchemas, ResourceModels } from './resources/models.ts';
import { applyScenarios, loadScenarios } from './scenarios/index.ts';
import { StateFile, Store } from './store/index.ts';
import { asOfMoment, asOfOfInstant } from './world/calendar.ts';
import type { World, WorldChoice } from './world/model.ts';
import { seededWorld, worldCacheDir } from './world-cache/index.ts';

/** The id of the world served at the root. */
export const DEFAULT_TENANT = 'default';

/** Where every tenant but the default one is served: `/tenants/{id}/...`. */
export const TENANTS_PATH = '/tenants';

/** Handles on a sandbox's (or a tenant's) state, for the CLI, `startSandbox`, the control API and tests. */
export interface SandboxRuntime {
  readonly options: SandboxOptions;
  /** `default`, or the id `POST /admin/tenants` gave. */
  readonly tenant: string;
  /** The path the tenant is served under: `''` for the default tenant, `/tenants/{id}` for the others. */
  readonly basePath: string;
  readonly clock: SandboxClock;
  readonly tokens: TokenService;
  readonly store: Store;
  /** The `--state-file` persistence, when the world is kept on disk (the default tenant only). */
  readonly stateFile: StateFile | undefined;
  /** Replaces the whole world (`PUT /admin/state`); with a state file its snapshot is on disk first. */
  replaceWorld(world: World): void;
  /** Writes the state file's final snapshot and releases it; nothing to do without one. */
  close(): void;
  /** Fault rules (`/admin/faults`, docs/faults-and-journal.md). */
  readonly faults: FaultSet;
  /** The bounded request journal (`/admin/requests`). */
  readonly journal: RequestJournal;
  /** The tenant's Sage ID: its registered clients, authorization codes and refresh tokens. */
  readonly sageId: Pick<SageIdState, 'clients' | 'codes' | 'refreshTokens'>;
  /**
   * `POST /admin/reset`: the world rebuilt from the seed (the current world's seed and scale unless given), the
   * clock's offset back to zero, and faults, journal, access tokens, codes and refresh tokens dropped.
   */
  reset(choice?: WorldChoice): void;
}

/** What all tenants of one sandbox share: nothing here changes after start-up. */
export interface SharedParts {
  readonly signingKey: SigningKey;
  readonly contract: ReturnType<typeof loadContract>;
  readonly models: ResourceModels;
}

export function sharedParts(options: SandboxOptions): SharedParts {
  const contract = loadContract();
  return {
    signingKey: loadSigningKey(options.signingKeyPem ?? sandboxSigningKeyPem()),
    contract,
    models: new ResourceModels(contract as unknown as ContractSchemas, loadCatalog()),
  };
}

/** Who a runtime is: the default tenant (served at the root, with the built-in clients) or a created one. */
export interface TenantIdentity {
  id: string;
  credentials: Readonly<ClientCredentials>;
}

export const DEFAULT_IDENTITY: TenantIdentity = {
  id: DEFAULT_TENANT,
  credentials: DEFAULT_CLIENT_CREDENTIALS,
};

export function createRuntime(
  options: SandboxOptions,
  shared: SharedParts,
  identity: TenantIdentity = DEFAULT_IDENTITY,
): SandboxRuntime {
  const basePath = identity.id === DEFAULT_TENANT ? '' : `${TENANTS_PATH}/${identity.id}`;
  const startAt = options.asOf === undefined ? undefined : asOfMoment(options.asOf);
  const clock = new SandboxClock(Date.now, { frozen: options.freezeClock, startAt });
  // The world's as-of date: the one asked for, else the clock's date now; a reset rebuilds the same world.
  const asOf = options.asOf ?? asOfOfInstant(clock.now());
  const tokens = new TokenService({
    issuer: publicBaseUrls(options, basePath).sage_id,
    clock,
    key: shared.signingKey,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
  });
  // In process the caller may exit as soon as its test is done, so a world built on a cache miss is written at once.
  const cacheDir = worldCacheDir(options);
  // Checked before any world is built, so a bad file fails at once; applied after the cache gives the seeded world,
  // so the cache never holds (nor serves) a world with scenarios in it.
  const scenarios = loadScenarios(options.scenarios as Parameters<typeof loadScenarios>[0]);
  const seeded = () =>
    applyScenarios(
      options.world ??
        seededWorld({
          seed: options.seed,
          scale: options.scale,
          asOf,
          cacheDir,
          write: 'sync',
          onProgress: options.onProgress,
        }).world,
      scenarios,
      asOf,
    );
  if (options.stateFile !== undefined) options.onProgress?.({ step: 'state-file', path: options.stateFile });
  const stateFile =
    options.stateFile === undefined
      ? undefined
      : StateFile.open({ path: options.stateFile, compactEvery: options.compactEvery, initialWorld: seeded });
  let store = stateFile?.store ?? new Store(seeded());
  let faults = new FaultSet({ seed: options.seed });
  const journal = new RequestJournal({ capacity: options.journalSize });
  const sageId = sageIdGrants(clock, options, new ClientRegistry(options.redirectUris, identity.credentials));
  // Sage's year end, run when the clock passes a company's current year end (ledger/year-end.ts). A world handed
  // in (tests share one built beforehand) keeps its years unless `asOf` says which day it is, so what a test pinned
  // stays as it was whatever the wall clock says.
  const yearEnds = new YearEndWatch(clock.now());
  const watchYearEnds = options.world === undefined || options.asOf !== undefined;
  const runtime: SandboxRuntime = {
    options,
    tenant: identity.id,
    basePath,
    clock,
    tokens,
    journal,
    sageId,
    stateFile,
    /** The world as of the sandbox clock: a year end the clock has passed is run before anyone reads it. */
    get store() {
      if (watchYearEnds) yearEnds.catchUp(store, clock.now());
      return store;
    },
    get faults() {
      return faults;
    },
    replaceWorld(world) {
      store = stateFile ? stateFile.replace(world) : new Store(world);
      yearEnds.restart(clock.now());
    },
    reset(choice = {}) {
      const seed = choice.seed ?? store.world.seed;
      const scale = choice.scale ?? store.world.scale;
      const worldAsOf = choice.asOf ?? store.world.as_of ?? asOf;
      runtime.replaceWorld(
        applyScenarios(
          seededWorld({ seed, scale, asOf: worldAsOf, cacheDir, write: 'sync' }).world,
          scenarios,
          worldAsOf,
        ),
      );
      clock.resetOffset();
      yearEnds.restart(clock.now());
      // A new set rather than clear(): rule ids start again at fault-1 and draw as a fresh sandbox's would.
      faults = new FaultSet({ seed });
      journal.clear();
      tokens.revokeAll();
      sageId.codes.clear();
      sageId.refreshTokens.clear();
    },
    close() {
      stateFile?.close();
    },
  };
  return runtime;
}

/** The URLs a tenant is reached on, for `POST /admin/tenants` and the dashboard. */
export function baseUrls(runtime: SandboxRuntime): {
  sage_id: string;
  api: string;
  admin: string;
  dashboard: string;
} {
  const root = `${runtime.options.origin}${runtime.basePath}`;
  return {
    sage_id: runtime.tokens.issuer,
    api: publicBaseUrls(runtime.options, runtime.basePath).api,
    admin: `${root}/admin`,
    dashboard: `${root}/`,
  };
}

/**
 * Where a tenant's Sage ID (the token issuer) and API say they are: the real Sage hosts for the default tenant of a
 * `publicUrls: 'sage'` sandbox (only it is mapped onto them), otherwise below the origin.
 */
export function publicBaseUrls(
  options: Pick<SandboxOptions, 'origin' | 'publicUrls'>,
  basePath: string,
): { sage_id: string; api: string } {
  if (options.publicUrls === 'sage' && basePath === '') {
    return { sage_id: SAGE_ID_BASE_URL, api: SAGE200_API_BASE_URL };
  }
  const root = `${options.origin}${basePath}`;
  return { sage_id: `${root}/id/`, api: `${root}${API_BASE_PATH}/` };
}

/** Sandbox options: exported defaults, merged with what the caller gives, validated once at start-up. */

import { checkAsOf } from './world/calendar.ts';
import { SCALES, type Scale, type World, type WorldBuildProgress } from './world/model.ts';

/**
 * A step of start-up, told to `onProgress` as it happens: the state file being opened (`state-file`, before its
 * snapshot is read or the world built for it), whether the world cache holds the world (`world-cache`), the world's
 * build when it does not (`world`, then each `company`), and, from `startSandbox` only, `listening` once requests
 * are served. The sandbox prints none of it; the CLI does.
 */
export type StartupProgress =
  | WorldBuildProgress
  | { step: 'state-file'; path: string }
  | { step: 'world-cache'; path: string; found: boolean }
  | { step: 'listening'; url: string };

export interface SandboxOptions {
  /** Seed of the generated world: same seed and scale, same bytes. */
  seed: number;
  scale: Scale;
  /**
   * The as-of date (`YYYY-MM-DD`) the seeded world is built relative to (its history ends there, its current
   * financial year is that year), and the day the sandbox clock starts on (09:00 UTC). Undefined: the clock's date
   * when the world is built, on the wall clock.
   */
  asOf: string | undefined;
  /** The origin clients reach the sandbox on; the token issuer is `{origin}/id/`. */
  origin: string;
  /**
   * The URLs the sandbox names in tokens (`iss`), discovery and its base URLs: `'origin'` its own, `'sage'` the real
   * Sage hosts, for a sandbox those hosts are mapped onto in process (`sage200-sandbox/msw`, docs/msw.md).
   */
  publicUrls: PublicUrls;
  /** Lifetime of access tokens, in seconds (Sage ID's is not published; an hour is assumed). */
  accessTokenTtlSeconds: number;
  /** Stop the sandbox clock between advances (`POST /admin/clock/advance`), for tests that step to an exact instant. */
  freezeClock: boolean;
  /** Restore the gateway before 6 Aug 2025, which refused calls without `Ocp-Apim-Subscription-Key`. */
  requireSubscriptionKey: boolean;
  /** The key that gateway accepts. */
  subscriptionKey: string;
  /** A PEM RSA private key to sign tokens with, instead of the sandbox's own. */
  signingKeyPem: string | undefined;
  /**
   * A world built beforehand (for example once per test run); when absent one is built from seed and scale. It
   * keeps its financial years when the clock passes their end unless `asOf` is given too (then the year end runs).
   */
  world: World | undefined;
  /**
   * Keep seeded worlds in the world cache: a world built once is read from disk by later sandboxes of the same
   * seed and scale (and sandbox version) instead of being built again. Not used for a given `world` or an
   * existing state file's snapshot.
   */
  cache: boolean;
  /** The world cache's folder; undefined: `SAGE200_SANDBOX_CACHE_DIR`, else the user's cache directory. */
  cacheDir: string | undefined;
  /**
   * Keep the world on disk across restarts: a snapshot at this path plus an fsynced write-ahead log of every write
   * (`<path>.wal`). When the snapshot exists it wins over seed, scale and world. Undefined: memory only.
   */
  stateFile: string | undefined;
  /** Writes logged before the state file's snapshot is rewritten and its write-ahead log emptied. */
  compactEvery: number;
  /** Lifetime of refresh tokens from the user's consent, in seconds (90 days: the maximum Sage grants). */
  refreshTokenTtlSeconds: number;
  /** Issue a new refresh token on every refresh and revoke the whole family when an old one is reused. */
  refreshTokenRotation: boolean;
  /** Renew a refresh token's lifetime each time it is used, instead of counting from consent. */
  refreshTokenSliding: boolean;
  /** Redirect URIs registered for both sandbox clients in addition to the built-in ones; matched exactly. */
  redirectUris: readonly string[];
  /** Lifetime of authorization codes, in seconds (RFC 6749 section 4.1.2 recommends at most 10 minutes). */
  authorizationCodeTtlSeconds: number;
  /** When set, every /admin request must send it as `X-Admin-Key`; required to listen beyond loopback. */
  adminKey: string | undefined;
  /** Requests the journal keeps (a ring buffer: the oldest is dropped). */
  journalSize: number;
  /** Tenants `POST /admin/tenants` may have alive at once, besides `default` (each holds a whole world in memory). */
  maxTenants: number;
  /** Told each step of start-up (StartupProgress); not told of resets or of tenants' builds. */
  onProgress: ((progress: StartupProgress) => void) | undefined;
  /** Largest world, in bytes, `PUT /admin/state` reads; a larger body gets 413 (a large world is about 340 MB). */
  maxStateBytes: number;
  /**
   * Scenario files applied to the world in order (docs/scenarios.md): file paths (YAML or JSON) or parsed objects.
   * Checked when the sandbox is created: a bad one refuses it with each problem's file, line and field.
   */
  scenarios: readonly ScenarioInput[];
}

/** A scenario as `scenarios` takes it: the path of a YAML or JSON file, or the file's content as an object. */
export type ScenarioInput = string | object;

/** Requests the journal keeps unless told otherwise, and the most it may be told to keep (`journalSize`). */
export const DEFAULT_JOURNAL_SIZE = 1000;
export const MAX_JOURNAL_SIZE = 1_000_000;

/** Largest world `PUT /admin/state` reads unless told otherwise: 1 GiB, three times a large world. */
export const DEFAULT_MAX_STATE_BYTES = 1024 ** 3;

export const DEFAULT_OPTIONS: Readonly<SandboxOptions> = {
  seed: 200,
  scale: 'medium',
  asOf: undefined,
  origin: 'http://127.0.0.1:3200',
  publicUrls: 'origin',
  accessTokenTtlSeconds: 3600,
  freezeClock: false,
  requireSubscriptionKey: false,
  subscriptionKey: 'sandbox-subscription-key',
  signingKeyPem: undefined,
  world: undefined,
  cache: true,
  cacheDir: undefined,
  stateFile: undefined,
  compactEvery: 1000,
  refreshTokenTtlSeconds: 90 * 86400,
  refreshTokenRotation: false,
  refreshTokenSliding: false,
  redirectUris: [],
  authorizationCodeTtlSeconds: 600,
  adminKey: undefined,
  journalSize: DEFAULT_JOURNAL_SIZE,
  maxTenants: 20,
  onProgress: undefined,
  maxStateBytes: DEFAULT_MAX_STATE_BYTES,
  scenarios: [],
};

/** Most tenants a sandbox can be allowed (`maxTenants`). */
export const MAX_TENANTS = 1000;

/** What `publicUrls` may be. */
export const PUBLIC_URLS = ['origin', 'sage'] as const;
export type PublicUrls = (typeof PUBLIC_URLS)[number];

export type SandboxOptionsInput = { [K in keyof SandboxOptions]?: SandboxOptions[K] | undefined };

/** A configuration mistake, reported when the sandbox is created rather than on some later request. */
export class SandboxOptionsError extends Error {}

export function resolveOptions(input: SandboxOptionsInput = {}): SandboxOptions {
  const options = { ...DEFAULT_OPTIONS } as SandboxOptions;
  for (const [key, value] of Object.entries(input) as [keyof SandboxOptions, unknown][]) {
    if (value !== undefined) Object.assign(options, { [key]: value });
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
    throw new SandboxOptionsError(`seed must be a non-negative integer, not ${String(options.seed)}`);
  }
  if (!SCALES.includes(options.scale)) {
    throw new SandboxOptionsError(`scale must be one of ${SCALES.join(', ')}, not ${String(options.scale)}`);
  }
  if (options.asOf !== undefined) {
    try {
      checkAsOf(options.asOf);
    } catch (error) {
      throw new SandboxOptionsError(`asOf: ${(error as Error).message}`);
    }
  }
  if (typeof options.cache !== 'boolean') {
    throw new SandboxOptionsError(`cache must be true or false, not ${String(options.cache)}`);
  }
  if (
    options.cacheDir !== undefined &&
    (typeof options.cacheDir !== 'string' || options.cacheDir.trim() === '')
  ) {
    throw new SandboxOptionsError('cacheDir must be the path of a folder');
  }
  if (
    options.stateFile !== undefined &&
    (typeof options.stateFile !== 'string' || options.stateFile.trim() === '')
  ) {
    throw new SandboxOptionsError('stateFile must be the path of a file');
  }
  if (!Number.isSafeInteger(options.compactEvery) || options.compactEvery < 1) {
    throw new SandboxOptionsError(
      `compactEvery must be a positive whole number, not ${String(options.compactEvery)}`,
    );
  }
  if (!Number.isSafeInteger(options.accessTokenTtlSeconds) || options.accessTokenTtlSeconds <= 0) {
    throw new SandboxOptionsError('accessTokenTtlSeconds must be a positive whole number of seconds');
  }
  let origin: URL;
  try {
    origin = new URL(options.origin);
  } catch {
    throw new SandboxOptionsError(
      `origin must be an absolute URL such as http://127.0.0.1:3200, not ${options.origin}`,
    );
  }
  if (origin.pathname !== '/' || origin.search || origin.hash) {
    throw new SandboxOptionsError(`origin must have no path, query or fragment: ${options.origin}`);
  }
  options.origin = origin.origin;
  if (!PUBLIC_URLS.includes(options.publicUrls)) {
    throw new SandboxOptionsError(
      `publicUrls must be one of ${PUBLIC_URLS.join(', ')}, not ${String(options.publicUrls)}`,
    );
  }
  if (/\s/.test(options.subscriptionKey) || options.subscriptionKey === '') {
    throw new SandboxOptionsError('subscriptionKey must be non-empty and contain no spaces');
  }
  for (const key of ['refreshTokenTtlSeconds', 'authorizationCodeTtlSeconds'] as const) {
    if (!Number.isSafeInteger(options[key]) || options[key] <= 0) {
      throw new SandboxOptionsError(`${key} must be a positive whole number of seconds`);
    }
  }
  if (!Array.isArray(options.redirectUris)) {
    throw new SandboxOptionsError('redirectUris must be an array of absolute URLs');
  }
  for (const uri of options.redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new SandboxOptionsError(`redirect URI ${String(uri)} ${problem}`);
  }
  if (options.adminKey !== undefined) {
    const problem = adminKeyProblem(options.adminKey);
    if (problem) throw new SandboxOptionsError(`adminKey ${problem}`);
  }
  if (
    !Number.isSafeInteger(options.journalSize) ||
    options.journalSize < 1 ||
    options.journalSize > MAX_JOURNAL_SIZE
  ) {
    throw new SandboxOptionsError(`journalSize must be a whole number from 1 to ${MAX_JOURNAL_SIZE}`);
  }
  if (
    !Number.isSafeInteger(options.maxTenants) ||
    options.maxTenants < 0 ||
    options.maxTenants > MAX_TENANTS
  ) {
    throw new SandboxOptionsError(`maxTenants must be a whole number from 0 to ${MAX_TENANTS}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new SandboxOptionsError('onProgress must be a function');
  }
  if (!Number.isSafeInteger(options.maxStateBytes) || options.maxStateBytes < 1) {
    throw new SandboxOptionsError('maxStateBytes must be a positive whole number of bytes');
  }
  if (
    !Array.isArray(options.scenarios) ||
    !options.scenarios.every((s) => typeof s === 'string' || (typeof s === 'object' && s !== null))
  ) {
    throw new SandboxOptionsError('scenarios must be an array of file paths and scenario objects');
  }
  return options;
}

/** Shortest admin key accepted: a key guards a server reachable from other machines. */
export const MIN_ADMIN_KEY_LENGTH = 16;

/** Why a string cannot be an admin key, or undefined when it can. */
export function adminKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return 'must be a string';
  if (key.length < MIN_ADMIN_KEY_LENGTH) return `must be at least ${MIN_ADMIN_KEY_LENGTH} characters long`;
  if (!/^[\x21-\x7e]+$/.test(key)) return 'must be printable ASCII without spaces (it travels in a header)';
  return undefined;
}

/** Why a string cannot be a registered redirect URI (RFC 6749 section 3.1.2: absolute, no fragment), or undefined. */
export function redirectUriProblem(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !URL.canParse(uri)) return 'is not an absolute URL';
  if (new URL(uri).hash !== '' || uri.includes('#')) return 'must not contain a fragment';
  return undefined;
}

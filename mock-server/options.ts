/** Sandbox options: exported defaults, merged with what the caller gives, validated once at start-up. */
import { SCALES, type Scale, type World } from '../fixtures/world.ts';

export interface SandboxOptions {
  /** Seed of the generated world: same seed and scale, same bytes. */
  seed: number;
  scale: Scale;
  /** The origin clients reach the sandbox on; the token issuer is `{origin}/id/`. */
  origin: string;
  /** Lifetime of access tokens, in seconds (Sage ID's is not published; an hour is assumed). */
  accessTokenTtlSeconds: number;
  /** Restore the gateway before 6 Aug 2025, which refused calls without `Ocp-Apim-Subscription-Key`. */
  requireSubscriptionKey: boolean;
  /** The key that gateway accepts. */
  subscriptionKey: string;
  /** A PEM RSA private key to sign tokens with, instead of the sandbox's own. */
  signingKeyPem: string | undefined;
  /** A world built beforehand (for example once per test run); when absent one is built from seed and scale. */
  world: World | undefined;
}

export const DEFAULT_OPTIONS: Readonly<SandboxOptions> = {
  seed: 200,
  scale: 'medium',
  origin: 'http://127.0.0.1:3200',
  accessTokenTtlSeconds: 3600,
  requireSubscriptionKey: false,
  subscriptionKey: 'sandbox-subscription-key',
  signingKeyPem: undefined,
  world: undefined,
};

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
  if (!Number.isSafeInteger(options.accessTokenTtlSeconds) || options.accessTokenTtlSeconds <= 0) {
    throw new SandboxOptionsError('accessTokenTtlSeconds must be a positive whole number of seconds');
  }
  let origin: URL;
  try {
    origin = new URL(options.origin);
  } catch {
    throw new SandboxOptionsError(`origin must be an absolute URL such as http://127.0.0.1:3200, not ${options.origin}`);
  }
  if (origin.pathname !== '/' || origin.search || origin.hash) {
    throw new SandboxOptionsError(`origin must have no path, query or fragment: ${options.origin}`);
  }
  options.origin = origin.origin;
  if (/\s/.test(options.subscriptionKey) || options.subscriptionKey === '') {
    throw new SandboxOptionsError('subscriptionKey must be non-empty and contain no spaces');
  }
  return options;
}

/** Proof Key for Code Exchange (RFC 7636): challenge methods, the shapes of challenge and verifier, the check. */
import { createHash, timingSafeEqual } from 'node:crypto';

export type CodeChallengeMethod = 'S256' | 'plain';

export const CODE_CHALLENGE_METHODS: readonly CodeChallengeMethod[] = ['S256', 'plain'];

/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge is the base64url SHA-256 of the verifier, always 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export function isCodeChallengeMethod(value: string): value is CodeChallengeMethod {
  return (CODE_CHALLENGE_METHODS as readonly string[]).includes(value);
}

/** Whether a challenge has the shape its method implies (RFC 7636 section 4.2). */
export function isWellFormedChallenge(method: CodeChallengeMethod, challenge: string): boolean {
  switch (method) {
    case 'S256':
      return S256_CHALLENGE.test(challenge);
    case 'plain':
      return VERIFIER.test(challenge);
    default: {
      const never: never = method;
      throw new Error(`unknown code challenge method ${String(never)}`);
    }
  }
}

/** RFC 7636 section 4.6: transform the verifier by the method and compare with the stored challenge. */
export function verifierMatches(method: CodeChallengeMethod, challenge: string, verifier: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  let derived: string;
  switch (method) {
    case 'S256':
      derived = createHash('sha256').update(verifier, 'ascii').digest('base64url');
      break;
    case 'plain':
      derived = verifier;
      break;
    default: {
      const never: never = method;
      throw new Error(`unknown code challenge method ${String(never)}`);
    }
  }
  const a = Buffer.from(derived);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The RSA key the sandbox's Sage ID signs tokens with: the checked-in sandbox key, or a PEM given by the user. */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
}

const SANDBOX_KEY_PATH = new URL('../../fixtures/sandbox-signing-key.pem', import.meta.url);

/** The sandbox's own key: public on purpose, so every run and every clone signs alike. Never use it for anything real. */
export function sandboxSigningKeyPem(): string {
  return readFileSync(SANDBOX_KEY_PATH, 'utf8');
}

/** Loads an RSA private key (PEM, PKCS#8 or PKCS#1) for RS256; throws a clear error for anything else. */
export function loadSigningKey(pem: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`the signing key is not a PEM private key: ${(error as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new Error(
      `the signing key must be an RSA key for RS256, not ${privateKey.asymmetricKeyType ?? 'unknown'}`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(spki).digest('base64url').slice(0, 16);
  const publicJwk: JWK = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, publicJwk };
}

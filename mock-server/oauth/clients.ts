/**
 * The OAuth clients registered with the sandbox's Sage ID (README.md, Sage ID): a confidential web client and a
 * public (PKCE) client, sharing one list of redirect URIs that is matched exactly, as Sage ID does
 * (https://developer.sage.com/200c/guides/authentication-regular-web-applications/).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The grant types a Sage 200 client uses at Sage ID (https://github.com/SelectCo/magento2-module-sage200-api). */
export type GrantType = 'authorization_code' | 'refresh_token';

export interface OAuthClient {
  readonly client_id: string;
  readonly name: string;
  /** Confidential clients authenticate with their secret; public clients send only their id and must use PKCE. */
  readonly type: 'confidential' | 'public';
  readonly client_secret: string | undefined;
  readonly redirect_uris: readonly string[];
  readonly grant_types: readonly GrantType[];
}

export const CONFIDENTIAL_CLIENT_ID = 'sandbox-client';
export const CONFIDENTIAL_CLIENT_SECRET = 'sandbox-secret';
export const PUBLIC_CLIENT_ID = 'sandbox-public-client';

/** The ids and secret of a sandbox's two clients: the default tenant's are the constants above, each tenant its own. */
export interface ClientCredentials {
  confidentialClientId: string;
  confidentialClientSecret: string;
  publicClientId: string;
}

export const DEFAULT_CLIENT_CREDENTIALS: Readonly<ClientCredentials> = {
  confidentialClientId: CONFIDENTIAL_CLIENT_ID,
  confidentialClientSecret: CONFIDENTIAL_CLIENT_SECRET,
  publicClientId: PUBLIC_CLIENT_ID,
};

/** Redirect URIs registered for every sandbox client; `--redirect-uri` adds more. */
export const BUILT_IN_REDIRECT_URIS: readonly string[] = [
  'http://localhost:3000/callback',
  'http://127.0.0.1:3000/callback',
  'https://sage200cloud.codat.io/oauth/callback',
];

/** The sandbox's registered clients, looked up by id. */
export class ClientRegistry {
  readonly #clients = new Map<string, OAuthClient>();

  constructor(
    extraRedirectUris: readonly string[] = [],
    credentials: Readonly<ClientCredentials> = DEFAULT_CLIENT_CREDENTIALS,
  ) {
    const redirect_uris = [...new Set([...BUILT_IN_REDIRECT_URIS, ...extraRedirectUris])];
    const grant_types: GrantType[] = ['authorization_code', 'refresh_token'];
    for (const client of [
      {
        client_id: credentials.confidentialClientId,
        name: 'Sandbox web app',
        type: 'confidential',
        client_secret: credentials.confidentialClientSecret,
        redirect_uris,
        grant_types,
      },
      {
        client_id: credentials.publicClientId,
        name: 'Sandbox desktop app',
        type: 'public',
        client_secret: undefined,
        redirect_uris,
        grant_types,
      },
    ] satisfies OAuthClient[]) {
      this.#clients.set(client.client_id, client);
    }
  }

  get all(): readonly OAuthClient[] {
    return [...this.#clients.values()];
  }

  byId(clientId: string): OAuthClient | undefined {
    return this.#clients.get(clientId);
  }

  /** Exact string match: scheme, host, port, path, trailing slash and query all count. */
  allowsRedirect(client: OAuthClient, redirectUri: string): boolean {
    return client.redirect_uris.includes(redirectUri);
  }

  /** Compares a presented secret with the client's in constant time. */
  secretMatches(client: OAuthClient, presented: string): boolean {
    if (client.client_secret === undefined) return false;
    const digest = (value: string) => createHash('sha256').update(value).digest();
    return timingSafeEqual(digest(client.client_secret), digest(presented));
  }
}

/**
 * The API gateway in front of the Sage 200 API: subscription key (optional), bearer token, and the X-Site /
 * X-Company pair that picks one company the token's user may open (https://developer.sage.com/200/api/get-started/).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { GatewayError, GatewayUnauthorized } from '../errors.ts';
import type { TokenService, VerifiedAccessToken } from '../oauth/token-service.ts';
import type { CompanyStore, SiteStore, Store } from '../store/index.ts';
import type { SandboxUser } from '../world/model.ts';

export interface ApiVariables {
  user: SandboxUser;
  token: VerifiedAccessToken;
  site: SiteStore;
  company: CompanyStore;
}

export type ApiEnv = { Variables: ApiVariables };

export interface GatewayDeps {
  tokens: TokenService;
  store: () => Store;
  /** When set, every call must carry this `Ocp-Apim-Subscription-Key` (the gateway before 6 Aug 2025). */
  requiredSubscriptionKey: string | undefined;
}

const BEARER = /^bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

/** Checks the subscription key (when required) and the bearer token; sets `user` and `token`. */
export function authenticate(deps: GatewayDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (deps.requiredSubscriptionKey !== undefined) checkSubscriptionKey(c, deps.requiredSubscriptionKey);
    const header = c.req.header('Authorization');
    if (!header) throw new GatewayUnauthorized('no Authorization header');
    const match = BEARER.exec(header);
    if (!match?.[1]) throw new GatewayUnauthorized('Authorization is not a Bearer token');
    const verified = await deps.tokens.verifyAccessToken(match[1]);
    if (typeof verified === 'string') throw new GatewayUnauthorized(`token ${verified}`);
    const user = deps.store().userBySubject(verified.subject);
    if (!user) throw new GatewayUnauthorized('token subject is not a user of this sandbox');
    c.set('token', verified);
    c.set('user', user);
    await next();
  };
}

/** Resolves X-Site and X-Company to a company the token's user may open; anything else is the gateway's 401. */
export function selectCompany(deps: Pick<GatewayDeps, 'store'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const siteId = c.req.header('X-Site')?.trim();
    const companyHeader = c.req.header('X-Company')?.trim();
    if (!siteId) throw new GatewayUnauthorized('missing X-Site');
    if (!companyHeader) throw new GatewayUnauthorized('missing X-Company');
    if (!/^\d{1,10}$/.test(companyHeader)) throw new GatewayUnauthorized('X-Company is not an integer');
    const user = c.get('user');
    const site = deps
      .store()
      .sitesOf(user)
      .find((s) => s.site.site_id.toLowerCase() === siteId.toLowerCase());
    if (!site) throw new GatewayUnauthorized('X-Site is not a site of this user');
    const company = site.companies.get(Number(companyHeader));
    if (!company) throw new GatewayUnauthorized('X-Company is not a company of this site');
    c.set('site', site);
    c.set('company', company);
    await next();
  };
}

function checkSubscriptionKey(c: Context, expected: string): void {
  const key = c.req.header('Ocp-Apim-Subscription-Key');
  if (key === undefined || key === '') {
    throw new GatewayError(
      401,
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    );
  }
  if (key !== expected) {
    throw new GatewayError(
      401,
      'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    );
  }
}

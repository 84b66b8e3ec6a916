/**
 * The API gateway in front of the Sage 200 API: subscription key (optional), bearer token, and the X-Site /
 * X-Company pair that picks one company the token's user may open (https://developer.sage.com/200/api/get-started/).
 */
import type { MiddlewareHandler } from 'hono';
import { GatewayError, GatewayUnauthorized } from '../errors.ts';
import type { TokenRejection, TokenService, VerifiedAccessToken } from '../oauth/token-service.ts';
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
const COMPANY_ID = /^\d{1,10}$/;

/** What a route asks of the gateway beyond the token. */
export interface GatewayRoute {
  /** X-Site and X-Company must name a company the user may open (every data path but /sites). */
  company: boolean;
  /** Checks on the signed-in user, run in order after the gateway's own (the role's modules). */
  checks?: readonly ((user: SandboxUser) => void)[];
}

/** Who the gateway let through: the token and its user, and the site and company when the route asks for them. */
export interface Admission {
  token: VerifiedAccessToken;
  user: SandboxUser;
  site?: SiteStore;
  company?: CompanyStore;
}

/** A request header by its lower-case name, undefined when absent. */
export type HeaderOf = (name: string) => string | undefined;

/**
 * The gateway as one middleware: the subscription key (when required) and the bearer token, setting `user` and
 * `token`; then, when the route asks, X-Site and X-Company, setting `site` and `company`; then the route's checks.
 * One step rather than one middleware each, as every data call goes through all of them; a token verified before
 * is answered without waiting. Each fact is set as soon as it is known, so the journal names the user of a call
 * refused for its company, and the company of one refused for its role.
 */
export function gateway(deps: GatewayDeps, route: GatewayRoute): MiddlewareHandler<ApiEnv> {
  return (c, next) => {
    const header: HeaderOf = (name) => c.req.header(name);
    const token = presentedToken(deps, header);
    const pass = (verified: VerifiedAccessToken | TokenRejection) => {
      const store = deps.store();
      const { token: accepted, user } = admitToken(store, verified);
      c.set('token', accepted);
      c.set('user', user);
      if (route.company) {
        const { site, company } = selectCompany(store, user, header);
        c.set('site', site);
        c.set('company', company);
      }
      if (route.checks) for (const check of route.checks) check(user);
      return next();
    };
    const known = deps.tokens.knownAccessToken(token);
    return known === undefined ? deps.tokens.verifyAccessToken(token).then(pass) : pass(known);
  };
}

/**
 * The gateway's decision without waiting, for a token verified before: the admission, or the gateway's error
 * thrown; undefined when the token's signature has yet to be checked (only the middleware does that).
 */
export function admitKnownToken(
  deps: GatewayDeps,
  route: GatewayRoute,
  header: HeaderOf,
): Admission | undefined {
  const known = deps.tokens.knownAccessToken(presentedToken(deps, header));
  if (known === undefined) return undefined;
  const store = deps.store();
  const admission: Admission = admitToken(store, known);
  if (route.company) Object.assign(admission, selectCompany(store, admission.user, header));
  if (route.checks) for (const check of route.checks) check(admission.user);
  return admission;
}

/**
 * One route's last admission and what it rested on: the Authorization, X-Site and X-Company read, the store (a
 * reset or a new world replaces it; users, sites and companies never change within one), and the token service's
 * count of revocations.
 */
export interface AdmissionMemo {
  authorization: string | undefined;
  site: string | undefined;
  company: string | undefined;
  store: Store | undefined;
  revocations: number;
  admission: Admission | undefined;
}

/** A memo that remembers nothing yet. */
export function admissionMemo(): AdmissionMemo {
  return {
    authorization: undefined,
    site: undefined,
    company: undefined,
    store: undefined,
    revocations: -1,
    admission: undefined,
  };
}

/**
 * admitKnownToken's decision, remembered per route: a client sends the same credentials call after call, so the
 * same headers against the same store, with no revocation since and the token not expired by the sandbox clock,
 * get the same admission without looking the token, user, site and company up again. Only admissions are
 * remembered; a refusal is decided afresh every time.
 */
export function admitRemembered(
  deps: GatewayDeps,
  route: GatewayRoute,
  header: HeaderOf,
  memo: AdmissionMemo,
): Admission | undefined {
  if (deps.requiredSubscriptionKey !== undefined) checkSubscriptionKey(header, deps.requiredSubscriptionKey);
  const authorization = header('authorization');
  const site = route.company ? header('x-site') : undefined;
  const company = route.company ? header('x-company') : undefined;
  const store = deps.store();
  const last = memo.admission;
  if (
    last !== undefined &&
    authorization === memo.authorization &&
    site === memo.site &&
    company === memo.company &&
    store === memo.store &&
    deps.tokens.stillCurrent(last.token, memo.revocations)
  ) {
    return last;
  }
  memo.admission = undefined;
  const revocations = deps.tokens.revocations;
  const admission = admitKnownToken(deps, route, header);
  if (admission === undefined) return undefined;
  Object.freeze(admission);
  Object.assign(memo, { authorization, site, company, store, revocations, admission });
  return admission;
}

/** The subscription key (when required), then the bearer token the request presents; the gateway's 401 if not. */
function presentedToken(deps: GatewayDeps, header: HeaderOf): string {
  if (deps.requiredSubscriptionKey !== undefined) checkSubscriptionKey(header, deps.requiredSubscriptionKey);
  const authorization = header('authorization');
  if (!authorization) throw new GatewayUnauthorized('no Authorization header');
  if (authorization === lastBearer.authorization) return lastBearer.token;
  const match = BEARER.exec(authorization);
  if (!match?.[1]) throw new GatewayUnauthorized('Authorization is not a Bearer token');
  lastBearer.authorization = authorization;
  lastBearer.token = match[1];
  return match[1];
}

/**
 * The last Authorization header read and its token. A client sends the same header call after call: this skips
 * the pattern over a kilobyte of JWT, and hands the token service the same string, whose hash V8 has kept.
 */
const lastBearer = { authorization: '', token: '' };

/** The token's user, once the token is verified; the gateway's 401 for a refused token or an unknown user. */
function admitToken(store: Store, verified: VerifiedAccessToken | TokenRejection): Admission {
  if (typeof verified === 'string') throw new GatewayUnauthorized(`token ${verified}`);
  const user = store.userBySubject(verified.subject);
  if (!user) throw new GatewayUnauthorized('token subject is not a user of this sandbox');
  return { token: verified, user };
}

/** Resolves X-Site and X-Company to a company the token's user may open; anything else is the gateway's 401. */
function selectCompany(
  store: Store,
  user: SandboxUser,
  header: HeaderOf,
): { site: SiteStore; company: CompanyStore } {
  const siteId = header('x-site')?.trim();
  const companyHeader = header('x-company')?.trim();
  if (!siteId) throw new GatewayUnauthorized('missing X-Site');
  if (!companyHeader) throw new GatewayUnauthorized('missing X-Company');
  if (!COMPANY_ID.test(companyHeader)) throw new GatewayUnauthorized('X-Company is not an integer');
  const wanted = siteId.toLowerCase();
  const site = store.sitesOf(user).find((s) => s.site.site_id.toLowerCase() === wanted);
  if (!site) throw new GatewayUnauthorized('X-Site is not a site of this user');
  const company = site.companies.get(Number(companyHeader));
  if (!company) throw new GatewayUnauthorized('X-Company is not a company of this site');
  return { site, company };
}

function checkSubscriptionKey(header: HeaderOf, expected: string): void {
  const key = header('ocp-apim-subscription-key');
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

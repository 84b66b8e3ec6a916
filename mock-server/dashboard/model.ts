/**
 * What the dashboard shows of one sandbox (or tenant): built from its runtime on every request, so a reset or an
 * imported world shows at once. The same model feeds the HTML page and `GET /admin/summary`.
 */

import type { OAuthClient } from '../oauth/index.ts';
import { publicBaseUrls, type SandboxRuntime } from '../runtime.ts';
import type { SiteKind } from '../world/model.ts';

/** The parts of a sandbox's (or a tenant's) runtime the dashboard reads; it reads them on every request. */
export type DashboardRuntime = Pick<
  SandboxRuntime,
  'options' | 'tenant' | 'basePath' | 'clock' | 'store' | 'tokens' | 'sageId'
>;

export interface DashboardModel {
  name: 'sage200-sandbox';
  /** `default`, or the id `POST /admin/tenants` gave. */
  tenant: string;
  /** Where this tenant's pages, API and Sage ID are served, ending in `/` (`/`, or `/tenants/{id}/`). */
  base_path: string;
  /** The Sage 200 API base URL, ending in `/`. */
  api: string;
  /** The Sage ID issuer (authority), ending in `/`. */
  sage_id: string;
  token_endpoint: string;
  /** The control API base URL, ending in `/`. */
  admin: string;
  contract: string;
  docs: string;
  seed: number;
  scale: string;
  access_token_ttl_seconds: number;
  /** The `Ocp-Apim-Subscription-Key` the gateway wants, or null when it ignores it (as Sage has since 6 Aug 2025). */
  subscription_key: string | null;
  admin_key_required: boolean;
  clock: { now: string; offset_seconds: number; frozen: boolean };
  users: DashboardUser[];
  sites: DashboardSite[];
  clients: DashboardClient[];
}

export interface DashboardUser {
  email: string;
  name: string;
  kind: SiteKind;
  site_id: string;
  denied_modules: string[];
}

export interface DashboardSite {
  /** The `X-Site` header value. */
  site_id: string;
  site_name: string;
  kind: SiteKind;
  /** `company_id` is the `X-Company` header value. */
  companies: { company_id: number; company_name: string }[];
}

export interface DashboardClient {
  client_id: string;
  name: string;
  type: OAuthClient['type'];
  /** Null for a public client, which proves itself with PKCE instead. */
  client_secret: string | null;
  redirect_uris: string[];
  grant_types: string[];
}

/** The sandbox (or tenant) as the dashboard shows it. */
export function dashboardModel(runtime: DashboardRuntime): DashboardModel {
  const { options, clock, store } = runtime;
  const basePath = `${runtime.basePath}/`;
  const root = `${options.origin}${basePath}`;
  return {
    name: 'sage200-sandbox',
    tenant: runtime.tenant,
    base_path: basePath,
    api: publicBaseUrls(options, runtime.basePath).api,
    sage_id: runtime.tokens.issuer,
    token_endpoint: `${runtime.tokens.issuer}oauth/token`,
    admin: `${root}admin/`,
    contract: `${root}openapi.json`,
    docs: `${root}docs`,
    seed: store.world.seed,
    scale: store.world.scale,
    access_token_ttl_seconds: options.accessTokenTtlSeconds,
    subscription_key: options.requireSubscriptionKey ? options.subscriptionKey : null,
    admin_key_required: options.adminKey !== undefined,
    clock: { now: clock.date().toISOString(), offset_seconds: clock.offsetSeconds(), frozen: clock.frozen },
    users: store.users.map((u) => ({
      email: u.email,
      name: u.name,
      kind: u.kind,
      site_id: u.site_id,
      denied_modules: [...u.denied_modules],
    })),
    sites: store.sites.map((s) => ({
      site_id: s.site_id,
      site_name: s.site_name,
      kind: s.kind,
      companies: s.companies.map((c) => ({ company_id: c.company_id, company_name: c.company_name })),
    })),
    clients: runtime.sageId.clients.all.map((c) => ({
      client_id: c.client_id,
      name: c.name,
      type: c.type,
      client_secret: c.client_secret ?? null,
      redirect_uris: [...c.redirect_uris],
      grant_types: [...c.grant_types],
    })),
  };
}

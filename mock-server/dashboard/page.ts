/**
 * The dashboard page: a server-rendered shell (links, the fault form, the journal table) and the sandbox's world
 * (connection details, clock, users, sites and companies, OAuth clients) rendered from a DashboardModel. Every
 * value from data goes through escapeHtml. Every URL in the page is relative, so the page works wherever it is
 * mounted (`/` or `/tenants/{id}/`).
 */
import { escapeHtml } from '../http/html.ts';
import { SAGE200_AUDIENCE } from '../oauth/index.ts';
import { siteKindDescription } from '../world/model.ts';
import { DASHBOARD_SCRIPT } from './client-script.ts';
import type { DashboardClient, DashboardModel, DashboardSite, DashboardUser } from './model.ts';
import { DASHBOARD_STYLE } from './style.ts';

export interface DashboardPageModel {
  /** `default`, or the tenant's id. */
  tenant: string;
  /** The world to render in the page; undefined when an admin key guards it (the script fetches it then). */
  world: DashboardModel | undefined;
  adminKeyRequired: boolean;
  /**
   * Where the tenant is served, ending in `/` (`/` or `/tenants/{id}/`): the page's `<base>`, so its relative URLs
   * resolve the same whether it was reached as `/tenants/{id}` or `/tenants/{id}/`.
   */
  basePath: string;
}

/** The whole page. */
export function renderDashboardPage(model: DashboardPageModel): string {
  const world = model.world
    ? renderWorld(model.world)
    : '<section class="card wide locked"><p>Enter the admin key above to see this sandbox: its users, sites and companies, OAuth clients, clock, fault rules and requests.</p></section>';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <base href="${escapeHtml(model.basePath)}">
    <title>Sage 200 sandbox</title>
    <link rel="icon" href="data:,">
    <style>${DASHBOARD_STYLE}</style>
  </head>
  <body data-admin-key="${model.adminKeyRequired ? 'required' : 'none'}">
    <header class="top">
      <div class="brand"><span class="logo">Sage 200</span> sandbox <span class="where">tenant ${escapeHtml(model.tenant)}</span></div>
      <nav>
        <a href="docs">API reference</a>
        <a href="openapi.json">OpenAPI contract</a>
        <a href="id/.well-known/openid-configuration">Sage ID discovery</a>
      </nav>
    </header>
    <main>
      ${model.adminKeyRequired ? KEY_SECTION : ''}
      <div id="world">${world}</div>
      <div id="live"${model.world ? '' : ' hidden'}>${LIVE_SECTIONS}</div>
    </main>
    <script>${DASHBOARD_SCRIPT}</script>
  </body>
</html>
`;
}

/** The world sections, as the page embeds them and `GET /admin/dashboard` returns them. */
export function renderWorld(world: DashboardModel): string {
  return [connection(world), clock(world), usersAndSites(world), clients(world.clients)].join('\n');
}

function connection(world: DashboardModel): string {
  const subscription =
    world.subscription_key === null
      ? '<span class="muted">not needed: accepted and ignored, as at Sage since 6 Aug 2025</span>'
      : `${copyable(world.subscription_key)} <span class="muted">required in <code>Ocp-Apim-Subscription-Key</code></span>`;
  const keyHeader = world.admin_key_required ? ` -H 'X-Admin-Key: <admin key>'` : '';
  const firstUser = world.users[0]?.email ?? 'full@sandbox.test';
  const curl = `curl -s -X POST ${world.admin}tokens -H 'Content-Type: application/json'${keyHeader} -d '{"user":"${firstUser}"}'`;
  return `<section class="card" id="connection">
  <h2>Connect <span class="hint">seed ${world.seed}, ${escapeHtml(world.scale)} world</span></h2>
  <dl class="facts">
    <dt>API base URL</dt><dd>${copyable(world.api)}</dd>
    <dt>Sage ID issuer</dt><dd>${copyable(world.sage_id)}</dd>
    <dt>Token endpoint</dt><dd>${copyable(world.token_endpoint)}</dd>
    <dt>Audience</dt><dd>${copyable(SAGE200_AUDIENCE)}</dd>
    <dt>Subscription key</dt><dd>${subscription}</dd>
    <dt>Access tokens</dt><dd>last ${world.access_token_ttl_seconds} seconds</dd>
  </dl>
  <h3>A token without the browser</h3>
  <pre class="snippet">${escapeHtml(curl)}</pre>
</section>`;
}

function clock(world: DashboardModel): string {
  const { now, offset_seconds, frozen } = world.clock;
  return `<section class="card" id="clock">
  <h2>Sandbox clock ${frozen ? '<span class="badge">frozen between advances</span>' : ''}</h2>
  <p class="clock-now"><time id="clock-now" datetime="${escapeHtml(now)}" data-offset="${offset_seconds}" data-frozen="${frozen}">${escapeHtml(shownTime(now))}</time></p>
  <p class="muted" id="clock-offset">${escapeHtml(offsetText(offset_seconds))}</p>
  <p class="note">Every token, code and refresh-token expiry and every <code>date_time_updated</code> reads this clock. It only moves forward.</p>
  <form class="inline" id="clock-form">
    <label>Advance by (seconds)<input class="short" type="number" name="seconds" min="0" step="any" value="3600" required></label>
    <button type="submit">Advance</button>
    <button type="button" class="quiet" data-advance="3600">+1 hour</button>
    <button type="button" class="quiet" data-advance="86400">+1 day</button>
  </form>
  <p class="error" id="clock-error" role="alert"></p>
</section>`;
}

function usersAndSites(world: DashboardModel): string {
  const sitesById = new Map(world.sites.map((s) => [s.site_id.toLowerCase(), s]));
  const rows = world.users.map((u) => userRow(u, sitesById.get(u.site_id.toLowerCase())));
  const owned = new Set(world.users.map((u) => u.site_id.toLowerCase()));
  for (const site of world.sites) {
    if (!owned.has(site.site_id.toLowerCase())) rows.push(siteOnlyRow(site));
  }
  return `<section class="card wide" id="users">
  <h2>Users, sites and companies <span class="hint">sign in with any password; send the site as <code>X-Site</code> and the company as <code>X-Company</code>; <b>Copy a token</b> mints an access token for the user</span></h2>
  <table>
    <thead><tr><th>User</th><th>Site kind</th><th>Site (X-Site)</th><th>Companies (X-Company)</th></tr></thead>
    <tbody>
${rows.join('\n')}
    </tbody>
  </table>
</section>`;
}

function userRow(user: DashboardUser, site: DashboardSite | undefined): string {
  const denied =
    user.denied_modules.length === 0
      ? ''
      : `<span class="kind-text">no access to: ${escapeHtml(user.denied_modules.join(', '))}</span>`;
  return `      <tr>
        <td>${copyable(user.email)}<span class="kind-text">${escapeHtml(user.name)}</span>${tokenButton(user.email)}</td>
        <td>${kindBadge(user.kind)}<span class="kind-text">${escapeHtml(siteKindDescription(user.kind))}</span>${denied}</td>
        <td>${site ? `${escapeHtml(site.site_name)}<br>` : ''}${copyable(user.site_id)}</td>
        <td>${site ? companyList(site) : '<span class="muted">no site</span>'}</td>
      </tr>`;
}

function siteOnlyRow(site: DashboardSite): string {
  return `      <tr>
        <td><span class="muted">no user</span></td>
        <td>${kindBadge(site.kind)}</td>
        <td>${escapeHtml(site.site_name)}<br>${copyable(site.site_id)}</td>
        <td>${companyList(site)}</td>
      </tr>`;
}

function companyList(site: DashboardSite): string {
  const items = site.companies.map(
    (c) => `<li>${copyable(String(c.company_id))} ${escapeHtml(c.company_name)}</li>`,
  );
  return `<ul class="plain">${items.join('')}</ul>`;
}

function kindBadge(kind: DashboardUser['kind']): string {
  return `<span class="badge kind-${escapeHtml(kind)}">${escapeHtml(kind)}</span>`;
}

function clients(list: readonly DashboardClient[]): string {
  const rows = list.map(
    (c) => `      <tr>
        <td>${escapeHtml(c.name)}<span class="kind-text">${c.type === 'public' ? 'public: PKCE, no secret' : 'confidential: client secret'}</span></td>
        <td>${copyable(c.client_id)}</td>
        <td>${c.client_secret === null ? '<span class="muted">none</span>' : copyable(c.client_secret)}</td>
        <td><ul class="plain">${c.redirect_uris.map((uri) => `<li>${copyable(uri)}</li>`).join('')}</ul></td>
      </tr>`,
  );
  return `<section class="card wide" id="clients">
  <h2>OAuth clients <span class="hint">redirect URIs are matched exactly; add more with <code>--redirect-uri</code></span></h2>
  <table>
    <thead><tr><th>Client</th><th>client_id</th><th>client_secret</th><th>Redirect URIs</th></tr></thead>
    <tbody>
${rows.join('\n')}
    </tbody>
  </table>
</section>`;
}

/**
 * A button that mints an access token for the user (`POST admin/tokens`) and copies it; the script shows what it
 * did in the status beside it, or the token itself in a field when the browser gives no clipboard.
 */
function tokenButton(email: string): string {
  const escaped = escapeHtml(email);
  return `<span class="token-tools"><button type="button" class="quiet token" data-token-user="${escaped}" aria-label="Copy a token for ${escaped}">Copy a token</button><span class="token-status" role="status"></span></span>`;
}

/** A value shown as code with a button that copies it. */
function copyable(value: string): string {
  const escaped = escapeHtml(value);
  return `<span class="copyable"><code class="id">${escaped}</code><button type="button" class="copy" data-copy="${escaped}" aria-label="Copy ${escaped}">Copy</button></span>`;
}

/** `2026-06-01 12:00:00 UTC`: the page's script shows the clock the same way. */
function shownTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

function offsetText(seconds: number): string {
  if (seconds === 0) return 'in step with the wall clock';
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${unit}`);
  }
  return `${parts.join(' ') || `${seconds} s`} ahead of the wall clock`;
}

const KEY_SECTION = `<section class="card wide" id="key">
        <h2>Admin key</h2>
        <form id="key-form" class="actions">
          <p class="muted">This sandbox has an admin key (<code>--admin-key</code>). Enter it to see the sandbox; it is kept in this tab's session storage and sent as <code>X-Admin-Key</code> with each of this page's requests.</p>
          <label class="actions">Admin key <input type="password" name="key" autocomplete="off" required></label>
          <button type="submit">Unlock</button>
        </form>
        <p id="key-given" class="actions" hidden>The admin key is kept for this tab. <button type="button" class="quiet" id="key-forget">Forget it</button></p>
        <p class="error" id="key-error" role="alert"></p>
      </section>`;

const LIVE_SECTIONS = `
      <section class="card wide" id="faults">
        <h2>Fault rules <span class="hint">tried in order on Sage API and Sage ID requests; <code>POST /admin/faults</code> takes every field</span></h2>
        <p class="empty" id="faults-empty">No fault rules: every request goes through.</p>
        <table id="faults-table" hidden>
          <thead><tr><th>Rule</th><th>Matches</th><th>Does</th><th>How often</th><th class="num">Applied / matched</th><th></th></tr></thead>
          <tbody id="faults-rows"></tbody>
        </table>
        <form class="inline" id="fault-form">
          <label>Method<select name="method"><option value="">any</option><option>GET</option><option>POST</option><option>PUT</option><option>PATCH</option><option>DELETE</option></select></label>
          <label>Path pattern<input class="path" name="path" placeholder="/customers*" autocomplete="off"></label>
          <label>Status<select name="status"><option value="">none (latency only)</option><option>429</option><option>500</option><option selected>503</option><option>504</option></select></label>
          <label>Times<input class="short" type="number" name="times" min="1" step="1" placeholder="every match"></label>
          <label>Latency (ms)<input class="short" type="number" name="latency_ms" min="0" max="60000" step="1" placeholder="none"></label>
          <button type="submit">Add fault</button>
          <button type="button" class="danger" id="faults-clear" disabled>Remove all</button>
        </form>
        <p class="error" id="faults-error" role="alert"></p>
      </section>
      <section class="card wide" id="journal">
        <h2>Requests <span class="hint">the request journal, newest first; credentials redacted</span></h2>
        <div class="journal-tools">
          <span id="journal-state"><span class="live-dot off"></span>connecting</span>
          <label><input type="checkbox" id="journal-live" checked> live updates</label>
          <label><input type="checkbox" id="journal-hide-own" checked> hide this page's own requests</label>
          <span class="muted" id="journal-count"></span>
          <button type="button" class="quiet" id="journal-clear">Clear journal</button>
        </div>
        <div class="journal-scroll">
          <table>
            <thead><tr><th>Time (sandbox)</th><th>Method</th><th>Path</th><th>Status</th><th class="num">Latency</th><th>Fault</th><th>User</th><th>Company</th></tr></thead>
            <tbody id="journal-rows"></tbody>
          </table>
          <p class="empty" id="journal-empty">No requests yet. Call the API and they appear here.</p>
        </div>
      </section>`;

/**
 * The Sage ID pages a browser sees: the sign-in and consent page that lists the seeded users, and the error page
 * shown instead of a redirect. Server-rendered HTML with inline styles and no external assets.
 */
import { escapeHtml } from '../http/html.ts';
import { type SandboxUser, siteKindDescription } from '../world/model.ts';
import type { OAuthClient } from './clients.ts';

/** Security headers for every page: nothing may be loaded from elsewhere and the page may not be framed. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export interface LoginPageModel {
  client: OAuthClient;
  scope: string;
  users: readonly SandboxUser[];
  /** Where the form posts (the `u/login` path under the issuer). */
  action: string;
  /** The authorization request's parameters, sent back as hidden fields. */
  parameters: ReadonlyMap<string, string>;
  selectedEmail: string | undefined;
  message: string | undefined;
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f2f5f6; color: #1a1a1a; margin: 0; }
  main { max-width: 34rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.4rem; margin-top: 0; } .brand { color: #008200; font-weight: 700; }
  fieldset { border: 1px solid #ccd; border-radius: 6px; margin: 1rem 0; }
  label.user { display: block; padding: .4rem 0; } .kind { color: #555; font-size: .9rem; }
  input[type=password] { width: 100%; padding: .4rem; box-sizing: border-box; }
  .actions { display: flex; gap: 1rem; margin-top: 1.5rem; }
  button { padding: .6rem 1.4rem; font-size: 1rem; border-radius: 4px; border: 1px solid #008200; cursor: pointer; }
  button[value=approve] { background: #008200; color: #fff; } button[value=deny] { background: #fff; color: #008200; }
  .message { background: #fdecea; border: 1px solid #e0a0a0; padding: .6rem; border-radius: 4px; }
  .note { color: #555; font-size: .85rem; }
`;

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  openid: 'sign you in',
  profile: 'see your name',
  email: 'see your email address',
  offline_access: 'keep access to your Sage 200 data when you are not present',
};

export function renderLoginPage(model: LoginPageModel): string {
  const hidden = [...model.parameters]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  const users = model.users
    .map((user) => {
      const checked = user.email.toLowerCase() === model.selectedEmail?.toLowerCase() ? ' checked' : '';
      const id = `user-${user.id}`;
      return `<label class="user" for="${id}"><input type="radio" id="${id}" name="username" value="${escapeHtml(user.email)}"${checked} required> ${escapeHtml(user.email)} <span class="kind">(${escapeHtml(user.name)}; ${escapeHtml(siteKindDescription(user.kind))})</span></label>`;
    })
    .join('\n        ');
  const scopes = model.scope
    .split(' ')
    .filter((s) => s !== '')
    .map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)} <span class="kind">(${escapeHtml(s)})</span></li>`)
    .join('');
  const message = model.message ? `<p class="message" role="alert">${escapeHtml(model.message)}</p>` : '';
  return page(
    'Sign in with Sage ID',
    `<h1><span class="brand">Sage ID</span> (sandbox): sign in to ${escapeHtml(model.client.name)}</h1>
    ${message}
    <p><strong>${escapeHtml(model.client.name)}</strong> (<code>${escapeHtml(model.client.client_id)}</code>) wants to:</p>
    <ul>${scopes}</ul>
    <form method="post" action="${escapeHtml(model.action)}">
      ${hidden}
      <fieldset>
        <legend>Sign in as</legend>
        ${users}
      </fieldset>
      <label for="password">Password <span class="note">(any password works in the sandbox)</span></label>
      <input type="password" id="password" name="password" autocomplete="off">
      <div class="actions">
        <button type="submit" name="action" value="approve">Approve</button>
        <button type="submit" name="action" value="deny" formnovalidate>Deny</button>
      </div>
    </form>
    <p class="note">A sandbox page: no real Sage account is involved. Scripts can skip it with
      <code>login_hint=&lt;user email&gt;</code>.</p>`,
  );
}

/** Auth0's page for a request it cannot send back to the client (unknown client, callback URL mismatch). */
export function renderErrorPage(title: string, description: string): string {
  return page(
    title,
    `<h1><span class="brand">Sage ID</span> (sandbox): ${escapeHtml(title)}</h1>
    <p class="message" role="alert">${escapeHtml(description)}</p>
    <p class="note">The browser was not sent back to the application, because Sage ID cannot trust where it would go.
      Check the <code>client_id</code> and that <code>redirect_uri</code> exactly matches a registered URI.</p>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <style>${STYLE}</style>
  </head>
  <body>
    <main>
    ${body}
    </main>
  </body>
</html>
`;
}

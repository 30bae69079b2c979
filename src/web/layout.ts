/**
 * The page shell every review page shares: landmarks, a skip link, the navigation, who is signed
 * in (with a CSRF-protected sign-out form) and the one-line status message left by the last action.
 */
import { html, type SafeHtml } from './html.js';

/** Where the review app lives on the server it is mounted on. */
export const BASE = '/review';

export interface Flash {
  kind: 'ok' | 'warn' | 'error';
  text: string;
}

export interface PageUser {
  login: string;
  roles: readonly string[];
}

export interface PageOptions {
  title: string;
  /** Which navigation entry is current. */
  current?: 'queue' | 'dashboard' | 'exception' | 'documents' | 'autonomy' | 'grir' | 'sign-in';
  user?: PageUser | undefined;
  csrf: string;
  flash?: Flash | undefined;
  /** Extra scripts (served from BASE/assets). */
  scripts?: string[];
  body: SafeHtml;
}

function nav(current: PageOptions['current']): SafeHtml {
  const link = (key: string, href: string, label: string): SafeHtml =>
    html`<li><a href="${href}" ${current === key ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav aria-label="Main">
    <ul>
      ${link('queue', BASE, 'Review queue')}${link('documents', `${BASE}/documents`, 'Supplier documents')}${link('dashboard', `${BASE}/dashboard`, 'Dashboard')}${link('autonomy', `${BASE}/autonomy`, 'Autonomy & QA')}${link('grir', `${BASE}/grir`, 'GR/IR')}
    </ul>
  </nav>`;
}

function account(user: PageUser | undefined, csrf: string): SafeHtml {
  if (!user) return html``;
  return html`<div class="account">
    <span>Signed in as <strong>${user.login}</strong> <span class="muted">(${user.roles.join(', ')})</span></span>
    <form method="post" action="${BASE}/sign-out">
      <input type="hidden" name="_csrf" value="${csrf}" /><button type="submit" class="link">Sign out</button>
    </form>
  </div>`;
}

function flashBox(flash: Flash | undefined): SafeHtml {
  // The live region exists on every page so screen readers announce the message after a redirect.
  return html`<div class="flash-region" role="status" aria-live="polite">
    ${flash ? html`<p class="flash flash-${flash.kind}">${flash.text}</p>` : ''}
  </div>`;
}

/** A full HTML document. */
export function page(o: PageOptions): string {
  const scripts = ['forms.js', ...(o.scripts ?? [])];
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${o.title} · Settle</title>
        <link rel="stylesheet" href="${BASE}/assets/app.css" />
        ${scripts.map((s) => html`<script src="${BASE}/assets/${s}" defer></script>`)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="${BASE}">Settle <span class="muted">review</span></a>
          ${o.user ? nav(o.current) : ''} ${account(o.user, o.csrf)}
        </header>
        <main id="main" tabindex="-1">${flashBox(o.flash)} ${o.body}</main>
      </body>
    </html>`.value;
}

/**
 * The review page over plain HTTP (real loopback requests, no browser): sign-in and its cookie,
 * CSRF on every POST, sessions kept in Postgres across server restarts, no open redirect after
 * sign-in, security headers, and the queue filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createTokenDirectory } from '../src/mcp/auth.js';
import { createReviewServer } from '../src/web/index.js';
import { tokenEntries } from './mcp.fixture.js';
import {
  DUPLICATE_INVOICE,
  HELD_INVOICE,
  SCRIPT_INVOICE,
  client,
  signIn,
  startWebHarness,
  type WebHarness,
} from './web.fixture.js';

let h: WebHarness;
beforeAll(async () => {
  h = await startWebHarness();
});
afterAll(async () => h?.close());

describe('review page sign-in and sessions', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie scoped to /review (not Secure over plain http)', async () => {
    const { res } = await signIn(h.baseUrl, h.tokens.approver!);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/review');
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(set).toMatch(/Path=\/review/);
    expect(set).not.toMatch(/Secure/);
  });

  it('refuses an unknown token, and pages need a session', async () => {
    const { c, res } = await signIn(h.baseUrl, 'not-a-real-token-at-all-000');
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/That token is not valid/);
    const queue = await c.get('/review');
    expect(queue.status).toBe(303);
    expect(queue.headers.get('location')).toMatch(/^\/review\/sign-in\?next=/);
  });

  it('slows token guessing: the eleventh sign-in attempt in a minute from one address gets 429', async () => {
    const app = await createReviewServer({ runtime: h.runtime, tokens: createTokenDirectory(tokenEntries()) });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await signIn(base, `guess-${i}-0123456789abcdef`)).res.status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses[10]).toBe(429);
      expect((await signIn(base, h.tokens.approver!)).res.status).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('behind a trusted TLS proxy (SETTLE_TRUST_PROXY) sets a Secure cookie and limits sign-ins per real client address', async () => {
    const { trustProxy } = loadConfig({ SETTLE_TRUST_PROXY: 'loopback' });
    const app = await createReviewServer({
      runtime: h.runtime,
      tokens: createTokenDirectory(tokenEntries()),
      trustProxy,
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const viaProxy = async (token: string, clientIp: string, server = base): Promise<Response> => {
      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-for': clientIp };
      const form = await fetch(`${server}/review/sign-in`, { headers: forwarded });
      const cookie = form.headers.get('set-cookie')!.split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      return fetch(`${server}/review/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...forwarded, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, token, next: '/review' }),
      });
    };
    try {
      const signedIn = await viaProxy(h.tokens.reader!, '203.0.113.7');
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('set-cookie')).toMatch(/; Secure/i);
      // Eleven wrong guesses, each from another client behind the proxy: no client reaches the limit.
      const statuses = await Promise.all(
        Array.from({ length: 11 }, (_, i) =>
          viaProxy(`guess-${i}-0123456789abcdef`, `198.51.100.${i + 1}`).then((r) => r.status),
        ),
      );
      expect(statuses).toEqual(Array(11).fill(401));
      // Without SETTLE_TRUST_PROXY the same headers are ignored: anyone could send them.
      const direct = await viaProxy(h.tokens.reader!, '203.0.113.7', h.baseUrl);
      expect(direct.status).toBe(303);
      expect(direct.headers.get('set-cookie')).not.toMatch(/; Secure/i);
    } finally {
      await app.close();
    }
    expect(() => loadConfig({ SETTLE_TRUST_PROXY: 'proxy.example.com' })).toThrow(
      /SETTLE_TRUST_PROXY: "proxy.example.com" is not/,
    );
    expect(loadConfig({ SETTLE_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ SETTLE_TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.1',
    ]);
  });

  it('follows only same-app paths after sign-in', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/elsewhere']) {
      const { res } = await signIn(h.baseUrl, h.tokens.reader!, next);
      expect(res.headers.get('location')).toBe('/review');
    }
    const { res } = await signIn(h.baseUrl, h.tokens.reader!, `/review/exceptions/${HELD_INVOICE}`);
    expect(res.headers.get('location')).toBe(`/review/exceptions/${HELD_INVOICE}`);
  });

  it('refuses a POST without a valid CSRF token, even from an approver', async () => {
    const { c } = await signIn(h.baseUrl, h.tokens.approver!);
    const [pending] = await h.runtime.proposals.list({ status: 'pending' });
    const missing = await c.post(`/review/proposals/${pending!.id}/approve`, {});
    const wrong = await c.post(`/review/proposals/${pending!.id}/approve`, { _csrf: 'forged-token-value' });
    expect([missing.status, wrong.status]).toEqual([403, 403]);
    expect((await h.runtime.proposals.get(pending!.id))?.status).toBe('pending');
  });

  it('keeps sessions in Postgres: a new server on the same database knows the person; sign-out ends it', async () => {
    const { c } = await signIn(h.baseUrl, h.tokens.auditor!);
    const other = await createReviewServer({ runtime: h.runtime, tokens: createTokenDirectory(tokenEntries()) });
    const otherUrl = await other.listen({ host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${otherUrl}/review`, { headers: { cookie: c.cookie() }, redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/Signed in as <strong>aud\.itor<\/strong>/);
    } finally {
      await other.close();
    }
    const stale = c.cookie();
    const out = await c.post('/review/sign-out', { _csrf: await c.csrf('/review') });
    expect(out.status).toBe(303);
    const after = await fetch(`${h.baseUrl}/review`, { headers: { cookie: stale }, redirect: 'manual' });
    expect(after.status).toBe(303);
  });

  it('sends a strict Content-Security-Policy and no-store on pages', async () => {
    const { c } = await signIn(h.baseUrl, h.tokens.reader!);
    const res = await c.get('/review');
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('review queue filters', () => {
  const rowsOf = (html: string): string[] =>
    [...html.matchAll(/href="\/review\/exceptions\/(\d+)"/g)].map((m) => m[1]!);

  it('lists proposals and routed exceptions oldest first, and filters by type, supplier, amount and age', async () => {
    const { c } = await signIn(h.baseUrl, h.tokens.reader!);
    const all = rowsOf(await (await c.get('/review')).text());
    expect(all).toEqual([String(HELD_INVOICE), String(SCRIPT_INVOICE), String(DUPLICATE_INVOICE)]);
    expect(rowsOf(await (await c.get('/review?type=duplicate')).text())).toEqual([String(DUPLICATE_INVOICE)]);
    expect(rowsOf(await (await c.get('/review?supplier=northwind')).text())).toHaveLength(3);
    expect(rowsOf(await (await c.get('/review?supplier=acme')).text())).toEqual([]);
    // Totals: 1030.00, 216.00, 412.50.
    expect(rowsOf(await (await c.get('/review?min=400&max=500')).text())).toEqual([String(DUPLICATE_INVOICE)]);
    expect(rowsOf(await (await c.get('/review?age=2')).text())).toEqual([]);
    const bad = await (await c.get('/review?min=lots')).text();
    expect(bad).toMatch(/Filter ignored: min/);
    expect(rowsOf(bad)).toHaveLength(3);
  });
});

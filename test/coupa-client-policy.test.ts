import { describe, expect, it } from 'vitest';
import { CoupaHttpError, CoupaNetworkError, CoupaTimeoutError, coupaErrorMessages } from '../src/coupa/errors.js';
import { createRateLimiter } from '../src/coupa/limiter.js';
import { createTokenCache } from '../src/coupa/oauth.js';
import { isRetriable, mayHaveBeenSent, parseRetryAfter, retryDelayMs } from '../src/coupa/retry-policy.js';

describe('retry policy', () => {
  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-02T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Mon, 02 Mar 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('retries reads on anything transient but writes only when Coupa refused them or they never left', () => {
    const http = (status: number): CoupaHttpError => new CoupaHttpError(status, 'PUT', '/api/invoices/1/void', []);
    expect(isRetriable(http(429), false)).toBe(true);
    expect(isRetriable(http(503), false)).toBe(true);
    expect(isRetriable(http(400), true)).toBe(false);
    expect(isRetriable(http(404), true)).toBe(false);
    expect(isRetriable(new CoupaTimeoutError('GET', '/api/invoices/1', 10), true)).toBe(true);
    expect(isRetriable(new CoupaTimeoutError('PUT', '/api/invoices/1/void', 10), false)).toBe(false);
    expect(isRetriable(new CoupaNetworkError('GET', '/x', 'reset', true), true)).toBe(true);
    expect(isRetriable(new CoupaNetworkError('PUT', '/x', 'reset', true), false)).toBe(false);
    expect(isRetriable(new CoupaNetworkError('PUT', '/x', 'refused', false), false)).toBe(true);
    expect(isRetriable(new Error('bug'), true)).toBe(false);
  });

  it('uses full jitter under an exponential ceiling, and Retry-After when given', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
    const err = new CoupaHttpError(503, 'GET', '/x', []);
    expect(retryDelayMs(err, 0, opts, () => 1)).toBe(100);
    expect(retryDelayMs(err, 3, opts, () => 1)).toBe(800);
    expect(retryDelayMs(err, 10, opts, () => 1)).toBe(1000);
    expect(retryDelayMs(err, 10, opts, () => 0)).toBe(0);
    err.retryAfterMs = 2000;
    expect(retryDelayMs(err, 0, opts, () => 0)).toBe(2000);
    expect(retryDelayMs(err, 0, opts, () => 1)).toBe(2200);
    err.retryAfterMs = 120_000;
    expect(retryDelayMs(err, 0, opts, () => 0)).toBe(5000);
  });

  it('tells a refused connection (never sent) from a reset one (maybe sent)', () => {
    const wrapped = (code: string): Error =>
      new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
    expect(mayHaveBeenSent(wrapped('ECONNREFUSED'))).toBe(false);
    expect(mayHaveBeenSent(wrapped('ECONNRESET'))).toBe(true);
    expect(mayHaveBeenSent(wrapped('UND_ERR_SOCKET'))).toBe(true);
    expect(mayHaveBeenSent(new Error('mystery'))).toBe(true);
  });
});

describe('Coupa error bodies', () => {
  it('flattens the usual, the nested and the OAuth shapes', () => {
    expect(coupaErrorMessages({ errors: { 'invoice-header': ['Invoice number has already been taken'] } })).toEqual([
      'invoice-header: Invoice number has already been taken',
    ]);
    expect(
      coupaErrorMessages({ errors: { request: [{ 'invoice-header': ['a'], 'invoice-header.invoice_lines': ['b'] }] } }),
    ).toEqual(['invoice-header: a', 'invoice-header.invoice_lines: b']);
    expect(coupaErrorMessages({ error: 'invalid_client', error_description: 'bad secret' })).toEqual([
      'invalid_client: bad secret',
    ]);
    expect(coupaErrorMessages('<html>')).toEqual([]);
  });
});

describe('token cache', () => {
  it('mints once for concurrent callers and refreshes at 80% of the lifetime', async () => {
    let clock = 0;
    let minted = 0;
    const cache = createTokenCache({
      now: () => clock,
      mint: async () => {
        minted += 1;
        await new Promise((r) => setTimeout(r, 5));
        return { accessToken: `t${minted}`, expiresInSeconds: 100 };
      },
    });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => cache.get()));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(minted).toBe(1);
    clock = 79_000;
    expect(await cache.get()).toBe('t1');
    clock = 80_001;
    expect(await cache.get()).toBe('t2');
    expect(minted).toBe(2);
  });

  it('drops a rejected token only if it is still the current one', async () => {
    let minted = 0;
    const cache = createTokenCache({ mint: async () => ({ accessToken: `t${++minted}`, expiresInSeconds: 3600 }) });
    expect(await cache.get()).toBe('t1');
    cache.invalidate('t0');
    expect(await cache.get()).toBe('t1');
    cache.invalidate('t1');
    expect(await cache.get()).toBe('t2');
  });

  it('lets the next caller retry after a failed mint', async () => {
    let calls = 0;
    const cache = createTokenCache({
      mint: async () => {
        calls += 1;
        if (calls === 1) throw new Error('token endpoint down');
        return { accessToken: 'ok', expiresInSeconds: 3600 };
      },
    });
    await expect(cache.get()).rejects.toThrow('token endpoint down');
    expect(await cache.get()).toBe('ok');
  });
});

describe('rate limiter', () => {
  it('lets the burst through at once, then paces at the sustained rate', async () => {
    const limiter = createRateLimiter({ ratePerSecond: 20, burst: 5 });
    const start = performance.now();
    for (let i = 0; i < 5; i++) await limiter.acquire();
    const burstMs = performance.now() - start;
    for (let i = 0; i < 4; i++) await limiter.acquire();
    const pacedMs = performance.now() - start;
    expect(burstMs).toBeLessThan(150);
    // 4 more tokens at 20/s need ~200 ms.
    expect(pacedMs).toBeGreaterThanOrEqual(180);
  });
});

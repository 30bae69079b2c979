import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldInvoice, startTestSim, type TestSim } from './sim.fixture.js';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim();
});
afterAll(() => t.sim.close());

const isCoupaError = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && typeof (body as { errors?: unknown }).errors === 'object';

describe('bad input gets Coupa-style 4xx, never a crash', () => {
  it.each(['{bad', '{"a":', '[1,2', 'null x', '{"__proto__":{"polluted":true}}', '\u0000'])(
    'malformed JSON body %j → 400',
    async (raw) => {
      const res = await t.api('PUT', '/api/invoices/5003', raw);
      expect(res.status).toBe(400);
      expect(isCoupaError(res.body)).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('answers 415 for an unsupported content type and 413 for an oversized body', async () => {
    const xml = await t.api('PUT', '/api/invoices/5003', '<invoice-header/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(isCoupaError(xml.body)).toBe(true);
    const text = await t.api('PUT', '/api/invoices/5003', 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(text.body.errors['invoice-header']).toEqual(['Request body must be a JSON object']);
    const huge = await t.api('PUT', '/api/invoices/5003', { comments: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(isCoupaError(huge.body)).toBe(true);
  });

  it('answers 400 for a malformed multipart upload', async () => {
    const res = await t.api('POST', '/api/invoices/5003/attachments', '--nope\r\ngarbage', {
      'content-type': 'multipart/form-data; boundary=xyz',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.attachment).toEqual(['Malformed multipart/form-data body']);
  });

  it.each([
    ['GET', '/api/nothing'],
    ['GET', '/'],
    ['DELETE', '/api/invoices/5003'],
    ['POST', '/api/suppliers'],
    ['PUT', '/api/invoices/abc/submit'],
    ['GET', '/api/invoices/5003/unknown'],
  ])('%s %s → 404', async (method, path) => {
    const res = await t.api(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
    expect(res.status).toBe(404);
    expect(isCoupaError(res.body)).toBe(true);
  });

  it('survives arbitrary JSON bodies on every write endpoint', async () => {
    const endpoints = [
      ['PUT', '/api/invoices/5001'],
      ['PUT', '/api/invoices/5001/dispute'],
      ['PUT', '/api/invoices/5001/add_approver'],
      ['POST', '/api/invoices'],
      ['POST', '/api/invoices/5001/comments'],
      ['POST', '/api/comments'],
      ['POST', '/api/invoices/5001/attachments'],
      ['PUT', '/api/invoices/5001/abandon'],
    ] as const;
    const shaped = fc.record(
      {
        'invoice-number': fc.jsonValue(),
        'invoice-date': fc.jsonValue(),
        supplier: fc.jsonValue(),
        comments: fc.jsonValue(),
        'failed-tolerances': fc.jsonValue(),
        'invoice-lines': fc.jsonValue(),
        'dispute-reason': fc.jsonValue(),
        approver: fc.jsonValue(),
        'approver-id': fc.jsonValue(),
        'commentable-type': fc.jsonValue(),
        'commentable-id': fc.jsonValue(),
        type: fc.jsonValue(),
        url: fc.jsonValue(),
        text: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        fc.oneof(fc.jsonValue(), shaped),
        async ([method, path], body) => {
          t.sim.upsert('invoices', heldInvoice());
          const res = await t.api(method, path, JSON.stringify(body));
          expect(
            res.status,
            `${method} ${path} ${JSON.stringify(body).slice(0, 200)} → ${JSON.stringify(res.body).slice(0, 200)}`,
          ).toBeLessThan(500);
          if (res.status >= 400) expect(isCoupaError(res.body)).toBe(true);
        },
      ),
      { numRuns: 250, seed: 20260302 },
    );
  });

  it('survives arbitrary query strings on list endpoints', async () => {
    const key = fc.oneof(
      fc.constantFrom(
        'status',
        'invoice-number',
        'gross_total',
        'supplier[id]',
        'invoice-lines[order-line-id]',
        'invoice-date',
        'limit',
        'offset',
        'order_by',
        'dir',
        'fields',
      ),
      fc.string({ maxLength: 20 }),
    );
    const op = fc.oneof(
      fc.constantFrom('', '[gt]', '[lt_or_eq]', '[in]', '[not_in]', '[blank]', '[contains]', '[starts_with]'),
      fc.string({ maxLength: 8 }),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('2026-02-10', '100.00', '-1', '1e309', '["id",{"x":[]}]', 'a,b,,c'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('invoices', 'suppliers', 'purchase_order_lines', 'comments'),
        fc.array(fc.tuple(key, op, value), { maxLength: 5 }),
        async (resource, parts) => {
          const query = parts.map(([k, o, v]) => `${encodeURIComponent(k + o)}=${encodeURIComponent(v)}`).join('&');
          const res = await t.api('GET', `/api/${resource}?${query}`);
          expect([200, 400], `${query} → ${JSON.stringify(res.body).slice(0, 200)}`).toContain(res.status);
          if (res.status === 200) expect(Array.isArray(res.body)).toBe(true);
        },
      ),
      { numRuns: 250, seed: 7 },
    );
  });

  it('logged no 5xx at all, and still answers', async () => {
    expect(t.sim.callLog.filter((e) => e.status >= 500)).toEqual([]);
    expect((await t.api('GET', '/api/invoices/5001')).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle } from '../src/sim/types.js';
import { call, requestToken, sampleDataset } from './sim.fixture.js';

const SCOPED_CLIENT = {
  clientId: 'reader',
  clientSecret: 's3cret',
  scopes: ['core.invoice.read', 'core.comment.read', 'core.supplier.read'],
};

describe('simulator OAuth and scopes', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({
      dataset: sampleDataset(),
      rateLimit: false,
      clients: [
        SCOPED_CLIENT,
        { clientId: 'writer', clientSecret: 'w', scopes: ['core.invoice.read', 'core.invoice.write'] },
      ],
    });
  });
  afterAll(() => sim.close());

  it('issues a bearer token from a form body with Coupa expiry', async () => {
    const res = await requestToken(sim);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 86399 });
    expect(res.body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const read = await call(sim, res.body.access_token, 'GET', '/api/invoices/5001');
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(5001);
  });

  it('accepts HTTP Basic client auth at /oauth2/access_tokens too', async () => {
    const basic = Buffer.from('reader:s3cret').toString('base64');
    const response = await fetch(`${sim.url}/oauth2/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=core.invoice.read',
    });
    expect(response.status).toBe(200);
    const token = ((await response.json()) as { access_token: string }).access_token;
    expect((await call(sim, token, 'GET', '/api/invoices')).status).toBe(200);
  });

  it('refuses a wrong secret, an unknown client and a wrong grant type', async () => {
    const post = (body: string): Promise<Response> =>
      fetch(`${sim.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const wrong = await post('client_id=reader&client_secret=nope&grant_type=client_credentials');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    expect((await post('client_id=ghost&client_secret=s3cret&grant_type=client_credentials')).status).toBe(401);
    const grant = await post('client_id=reader&client_secret=s3cret&grant_type=password');
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('grants only scopes the client holds, and a token carries only what it asked for', async () => {
    const refused = await requestToken(sim, 'core.invoice.read core.invoice.write');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_scope');
    const narrow = (await requestToken(sim, 'core.supplier.read')).body.access_token as string;
    expect((await call(sim, narrow, 'GET', '/api/suppliers')).status).toBe(200);
    const forbidden = await call(sim, narrow, 'GET', '/api/invoices');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors.authorization[0]).toContain('core.invoice.read');
  });

  it('answers 401 without a token, with a forged token, and with a token of another instance', async () => {
    expect((await call(sim, undefined, 'GET', '/api/invoices')).status).toBe(401);
    const forged = await call(sim, 'eyJhbGciOiJIUzI1NiJ9.e30.forged', 'GET', '/api/invoices');
    expect(forged.status).toBe(401);
    expect(forged.body.errors.authorization).toEqual(['Invalid access token']);
    const other = await startSimulator({ dataset: sampleDataset(), rateLimit: false, clients: [SCOPED_CLIENT] });
    try {
      const foreign = (await requestToken(other)).body.access_token as string;
      expect((await call(sim, foreign, 'GET', '/api/invoices')).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it.each([
    ['PUT', '/api/invoices/5001/dispute', 'core.invoice.write'],
    ['PUT', '/api/invoices/5001', 'core.invoice.write'],
    ['POST', '/api/invoices', 'core.invoice.create'],
    ['PUT', '/api/invoices/5001/add_approver', 'core.invoice.approval.write'],
    ['POST', '/api/invoices/5001/comments', 'core.comment.write'],
    ['POST', '/api/invoices/5001/attachments', 'core.attachment.write'],
    ['GET', '/api/purchase_orders', 'core.purchase_order.read'],
    ['GET', '/api/purchase_order_lines/3001', 'core.purchase_order.read'],
    ['GET', '/api/receiving_transactions', 'core.inventory.receiving.read'],
    ['GET', '/api/users', 'core.user.read'],
    ['GET', '/api/contracts', 'core.contract.read'],
    ['GET', '/api/approvals', 'core.approval.read'],
  ])('%s %s needs %s (403 without it, state untouched)', async (method, path, scope) => {
    const token = (await requestToken(sim)).body.access_token as string; // reader: no write scopes
    const before = JSON.stringify(sim.records('invoices'));
    const res = await call(sim, token, method, path, method === 'GET' ? undefined : {});
    expect(res.status).toBe(403);
    expect(res.body.errors.authorization[0]).toBe(`Missing scope ${scope}`);
    expect(JSON.stringify(sim.records('invoices'))).toBe(before);
  });

  it('keeps the client secret out of the call log', async () => {
    sim.clearCallLog();
    await requestToken(sim);
    const entry = sim.callLog.find((e) => e.path === '/oauth2/token');
    expect(entry?.clientId).toBe('reader');
    expect(JSON.stringify(entry?.body)).not.toContain('s3cret');
  });
});

describe('token expiry', () => {
  it('answers 401 once a short-lived token has expired, and a fresh token works', async () => {
    let clock = Date.now(); // token expiry runs on the test's clock: no waiting
    const sim = await startSimulator({
      dataset: sampleDataset(),
      rateLimit: false,
      tokenTtlSeconds: 1,
      tokenClock: () => clock,
    });
    try {
      const first = await requestToken(sim);
      expect(first.body.expires_in).toBe(1);
      expect((await call(sim, first.body.access_token, 'GET', '/api/invoices')).status).toBe(200);
      clock += 1_000;
      const expired = await call(sim, first.body.access_token, 'GET', '/api/invoices');
      expect(expired.status).toBe(401);
      expect(expired.body.errors.authorization).toEqual(['Access token expired']);
      expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
      const fresh = (await requestToken(sim)).body.access_token as string;
      expect((await call(sim, fresh, 'GET', '/api/invoices')).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});

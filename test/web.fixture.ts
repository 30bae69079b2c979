/**
 * The review page under test: the MCP tests' small tenant plus two more held invoices (one whose
 * supplier text carries markup, one resubmitted duplicate), a runtime in assisted mode, the agent
 * (offline planner) run on each through `settleAndRecord` — real proposals and settlements, no
 * inserted rows — and the review server on a loopback port. Also drives headless Chromium.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { BROWSER_SKIP_LINE, chromiumPath } from './support/chromium.js';
import type { Verdict } from '../src/agent/verdict.js';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { settleAndRecord } from '../src/app/settle-and-record.js';
import { openDb, type Db } from '../src/db/connection.js';
import { createTokenDirectory } from '../src/mcp/auth.js';
import type { WireRecord } from '../src/sim/dataset.js';
import { startSimulator } from '../src/sim/server.js';
import type { SimulatorHandle } from '../src/sim/types.js';
import { createReviewServer } from '../src/web/index.js';
import {
  HELD_INVOICE,
  IDENTITIES,
  NOW,
  SUPPLIER,
  configFor,
  mcpDataset,
  priceVarianceCase,
  tokenEntries,
} from './mcp.fixture.js';

/** Held at 8% over PO: routed to the AP reviewer; its line description and note carry markup. */
export const SCRIPT_INVOICE = 5002;
/** A resubmission of paid invoice NW-3990: held as a duplicate (a routed exception, no proposal). */
export const DUPLICATE_INVOICE = 5003;
export const SCRIPT_TEXT = '<script>alert("pwned")</script> Toner, black';
export const NOTE_TEXT = '<img src=x onerror="alert(2)"> Please pay quickly';

export { HELD_INVOICE, IDENTITIES };

function tenant(): ReturnType<typeof mcpDataset> {
  const d = mcpDataset();
  const risky = priceVarianceCase({
    invoiceId: SCRIPT_INVOICE,
    supplierId: SUPPLIER,
    poPrice: '50.00',
    invoicePrice: '54.00',
    quantity: '4',
    lineDescription: SCRIPT_TEXT,
    supplierNote: NOTE_TEXT,
  });
  d['purchase-orders'].push(risky.po);
  d['receiving-transactions'].push(risky.receipt);
  const duplicate: WireRecord = {
    ...structuredClone(d.invoices.find((i) => i.id === 4001)!),
    id: DUPLICATE_INVOICE,
    status: 'ap_hold',
    paid: false,
    'created-at': '2026-02-27T09:00:00Z',
    'updated-at': '2026-02-27T09:00:00Z',
    'invoice-lines': [
      {
        id: 50031,
        'line-num': 1,
        description: 'Toner',
        quantity: '5',
        price: '82.50',
        total: '412.50',
        'failed-tolerances': [],
      },
    ],
  };
  d.invoices.push(risky.invoice, duplicate);
  return d;
}

export interface WebHarness {
  sim: SimulatorHandle;
  db: Db;
  runtime: Runtime;
  app: FastifyInstance;
  baseUrl: string;
  dataDir: string;
  verdicts: Map<number, Verdict>;
  tokens: Record<string, string>;
  close(): Promise<void>;
}

/** Simulator, PGlite, runtime (assisted), the agent run on the three held invoices, and the review server. */
export async function startWebHarness(): Promise<WebHarness> {
  const sim = await startSimulator({ dataset: tenant(), now: NOW, rateLimit: false });
  const db = await openDb({ dataDir: 'memory://' });
  const dataDir = mkdtempSync(join(tmpdir(), 'settle-web-'));
  const runtime = await createRuntime({
    config: configFor(dataDir),
    simulator: sim,
    db,
    now: () => new Date(sim.now()),
    controls: { mode: 'assisted' },
    coupaLimiter: false,
  });
  const verdicts = new Map<number, Verdict>();
  for (const invoiceId of [HELD_INVOICE, SCRIPT_INVOICE, DUPLICATE_INVOICE])
    verdicts.set(invoiceId, await settleAndRecord(runtime, { invoiceId, brain: 'planner' }));
  // The browser tests sign in more often than a person would: the default of 10 a minute is tested apart.
  const app = await createReviewServer({ runtime, tokens: createTokenDirectory(tokenEntries()), signInPerMinute: 100 });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const tokens = Object.fromEntries(tokenEntries().map((e, i) => [Object.keys(IDENTITIES)[i]!, e.token]));
  return {
    sim,
    db,
    runtime,
    app,
    baseUrl,
    dataDir,
    verdicts,
    tokens,
    async close() {
      await app.close();
      await runtime.close();
      await db.close();
      await sim.close();
    },
  };
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The system's Chromium (test/support/chromium.ts finds it), driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(BROWSER_SKIP_LINE);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** A fresh browser context signed in through the sign-in form as a named identity. */
export async function signedIn(
  browser: Browser,
  h: WebHarness,
  who: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: h.baseUrl, viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  await page.goto('/review/sign-in');
  await page.getByLabel('Access token').fill(h.tokens[who]!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/review$/);
  return { context, page };
}

/** A cookie-keeping HTTP client for one person. */
export function client(base: string): {
  get(path: string): Promise<Response>;
  post(path: string, form: Record<string, string>): Promise<Response>;
  cookie: () => string;
  csrf(path?: string): Promise<string>;
} {
  let cookie = '';
  const keep = (res: Response): Response => {
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    return res;
  };
  const get = async (path: string): Promise<Response> =>
    keep(await fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} }));
  return {
    get,
    cookie: () => cookie,
    post: async (path, form) =>
      keep(
        await fetch(base + path, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
          body: new URLSearchParams(form),
        }),
      ),
    async csrf(path = '/review/sign-in') {
      const text = await (await get(path)).text();
      return /name="_csrf" value="([^"]+)"/.exec(text)![1]!;
    },
  };
}

export async function signIn(
  base: string,
  token: string,
  next = '/review',
): Promise<{ c: ReturnType<typeof client>; res: Response }> {
  const c = client(base);
  const csrf = await c.csrf();
  const res = await c.post('/review/sign-in', { _csrf: csrf, token, next });
  return { c, res };
}

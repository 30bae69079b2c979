/**
 * The simulator's tax engine, in AvaTax REST v2's format: `POST /avatax/api/v2/transactions/create`
 * with HTTP Basic credentials, a CreateTransactionModel body, and a TransactionModel answer
 * (rates as fractions, per-jurisdiction `details`) computed from Settle's offline rate table.
 * Outside `/api/`, so Coupa's token, scopes and fault injection do not apply; this engine has its
 * own faults — 429 with Retry-After, a 503, or no answer at all (a timeout for the client).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Dec } from '../../domain/money.js';
import type { TaxQuoteRequest } from '../../domain/tax-quote.js';
import { quoteFromTable } from '../../tax/compute.js';
import { loadRateTable, type RateTable } from '../../tax/rate-table.js';
import type { TaxEngineFault } from '../types.js';

export const AVATAX_SIM_PATH = '/avatax';
export const AVATAX_SIM_CREDENTIALS = { accountId: 'sim-account', licenseKey: 'sim-license' } as const;

export interface AvaTaxSimState {
  fault: TaxEngineFault;
  /** How long a `timeout` fault keeps the request open (the client's own timeout ends it first). */
  hangMs: number;
  table: RateTable;
}

export function createAvaTaxSimState(table?: RateTable): AvaTaxSimState {
  return { fault: 'none', hangMs: 30_000, table: table ?? loadRateTable() };
}

const Address = z.looseObject({
  line1: z.string().optional(),
  city: z.string().optional(),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().min(2),
});
const CreateTransaction = z.looseObject({
  type: z.string(),
  code: z.string().optional(),
  companyCode: z.string().optional(),
  date: z.string(),
  currencyCode: z.string().optional(),
  commit: z.boolean().optional(),
  addresses: z.looseObject({ shipFrom: Address.optional(), shipTo: Address, singleLocation: Address.optional() }),
  lines: z
    .array(
      z.looseObject({
        number: z.union([z.string(), z.number()]).optional(),
        quantity: z.number().optional(),
        amount: z.number(),
        taxCode: z.string().optional(),
        description: z.string().optional(),
      }),
    )
    .min(1),
});

const avaError = (code: string, message: string): { error: { code: string; message: string; target: string } } => ({
  error: { code, message, target: 'IncorrectData' },
});

function authorised(header: string | undefined): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const [account, key] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return account === AVATAX_SIM_CREDENTIALS.accountId && key === AVATAX_SIM_CREDENTIALS.licenseKey;
}

export function registerAvaTaxRoutes(app: FastifyInstance, state: AvaTaxSimState): void {
  app.post(`${AVATAX_SIM_PATH}/api/v2/transactions/create`, async (request, reply) => {
    if (state.fault === 'timeout') {
      await sleep(state.hangMs);
      return reply.code(504).send(avaError('GatewayTimeout', 'simulated timeout'));
    }
    if (state.fault === 'rate_limited')
      return reply.code(429).header('retry-after', '30').send(avaError('TooManyRequests', 'simulated rate limit'));
    if (state.fault === 'error') return reply.code(503).send(avaError('ServiceUnavailable', 'simulated outage'));
    if (!authorised(request.headers.authorization))
      return reply.code(401).send(avaError('AuthenticationException', 'Authentication failed'));
    const parsed = CreateTransaction.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send(
        avaError(
          'ModelStateInvalid',
          parsed.error.issues
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ')
            .slice(0, 300),
        ),
      );
    const body = parsed.data;
    const shipTo = body.addresses.shipTo;
    const quoteRequest: TaxQuoteRequest = {
      documentCode: body.code ?? 'sim',
      date: body.date,
      currency: body.currencyCode ?? 'USD',
      shipFrom: { country: body.addresses.shipFrom?.country ?? shipTo.country },
      shipTo: { country: shipTo.country, region: shipTo.region, postalCode: shipTo.postalCode, city: shipTo.city },
      lines: body.lines.map((l, i) => ({
        number: String(l.number ?? i + 1),
        amount: String(l.amount),
        quantity: String(l.quantity ?? 1),
        taxCode: l.taxCode,
      })),
    };
    const quote = quoteFromTable(state.table, quoteRequest, 'avatax-sim');
    if (!quote)
      return reply
        .code(400)
        .send(
          avaError(
            'InvalidAddress',
            `no jurisdiction found for ${shipTo.country} ${shipTo.region ?? ''} ${shipTo.postalCode ?? ''}`.trim(),
          ),
        );
    const fraction = (pct: string): number => new Dec(pct).dividedBy(100).toNumber();
    return reply.code(201).send({
      id: 0,
      code: quoteRequest.documentCode,
      companyCode: body.companyCode ?? 'DEFAULT',
      date: body.date,
      type: body.type,
      status: body.commit ? 'Committed' : 'Saved',
      currencyCode: quote.currency,
      totalAmount: body.lines.reduce((s, l) => s + l.amount, 0),
      totalTax: Number(quote.totalTax),
      lines: quote.lines.map((l) => ({
        lineNumber: l.number,
        tax: Number(l.tax),
        taxableAmount: Number(l.taxable),
        exemptAmount: l.exempt
          ? Number(body.lines.find((x, i) => String(x.number ?? i + 1) === l.number)?.amount ?? 0)
          : 0,
        details: l.jurisdictions.map((j) => ({
          jurisName: j.name,
          jurisType: j.type,
          taxName: `${j.name} tax`,
          rate: fraction(j.rate),
          tax: Number(j.tax ?? 0),
          taxableAmount: Number(l.taxable),
        })),
      })),
      summary: (quote.lines[0]?.jurisdictions ?? []).map((j) => ({
        jurisName: j.name,
        jurisType: j.type,
        rate: fraction(j.rate),
      })),
      messages: quote.notes.map((n) => ({ summary: n, severity: 'Information', source: 'settle-sim' })),
    });
  });
}

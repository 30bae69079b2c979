/**
 * The customer's guard settings (docs/controls.md, generated from this schema by
 * scripts/gen-schema-docs.ts). Defaults here are the numbers the policy pack in `knowledge/`
 * cites; keep the two in step. The descriptions are the user documentation.
 */
import { z } from 'zod';

const DecimalString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+(\.\d+)?$/.test(v), { message: 'expected a non-negative decimal such as "250.00"' });

export const Mode = z.enum(['monitor', 'assisted', 'autonomous']);
export type Mode = z.infer<typeof Mode>;

export const ControlsSchema = z.strictObject({
  mode: Mode.default('autonomous').describe('monitor: nothing is written to Coupa, every decision becomes a proposal; assisted: comments are written, state changes wait for a person; autonomous: writes within these controls execute'),
  currency: z.string().length(3).default('USD').describe('ISO 4217 code the amount limits below are in'),
  auto_resolve_max_invoice_total: DecimalString.default('5000.00').describe('above this invoice total Settle never resolves without a person: it routes to the escalation reviewer'),
  price_tolerance_pct: DecimalString.default('5').describe('a price variance is resolved only within this percentage of the PO price …'),
  price_tolerance_amount: DecimalString.default('250.00').describe('… and within this total amount over the PO, per invoice'),
  quantity_tolerance_pct: DecimalString.default('0').describe('billed quantity may exceed the received quantity by at most this percentage'),
  tax_tolerance_amount: DecimalString.default('1.00').describe('a tax difference up to this amount is treated as rounding'),
  new_supplier_days: z.number().int().nonnegative().default(90).describe('suppliers created fewer than this many days ago are never resolved automatically: routed to the AP reviewer'),
  duplicate_window_days: z.number().int().positive().default(120).describe('how many days back duplicates are searched'),
  ap_reviewer: z.string().min(1).default('ap.review').describe('Coupa login that gets routine routing and held duplicates'),
  escalation_reviewer: z.string().min(1).default('ap.manager').describe('Coupa login for anything over the auto-resolve limit or flagged as a risk'),
  supplier_url_allowlist: z
    .array(z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+$/, { message: 'expected a host name such as "suppliers.example.com"' }))
    .max(50)
    .default([])
    .describe("hosts a supplier-visible message may link to (e.g. the customer's supplier portal); any other URL is refused"),
});
export type Controls = z.infer<typeof ControlsSchema>;

/** Partial overrides as a case or a deployment writes them. */
export const ControlsOverrides = ControlsSchema.partial();
export type ControlsOverrides = z.input<typeof ControlsSchema>;

/** Defaults merged with overrides, validated. Throws a ZodError naming the bad field. */
export function resolveControls(overrides: unknown = {}): Controls {
  return ControlsSchema.parse(overrides ?? {});
}

export const DEFAULT_CONTROLS: Controls = resolveControls({});

/**
 * The customer's guard settings (docs/controls.md, generated from this schema by
 * scripts/gen-schema-docs.ts). Defaults here are the numbers the policy pack in `knowledge/`
 * cites; keep the two in step. The descriptions are the user documentation.
 */
import { z } from 'zod';
import { ExceptionType } from './vocabulary.js';

const DecimalString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+(\.\d+)?$/.test(v), { message: 'expected a non-negative decimal such as "250.00"' });

/**
 * `shadow`: decide everything, write nothing to Coupa and propose nothing — the decision is kept
 * beside the person's (`src/app/shadow-*.ts`). `monitor`: writes become proposals. `assisted`:
 * comments execute, state changes wait for an approver. `autonomous`: writes within the controls execute.
 */
export const Mode = z.enum(['shadow', 'monitor', 'assisted', 'autonomous']);
export type Mode = z.infer<typeof Mode>;

/**
 * One earned-autonomy rule: which slice (exception type, supplier id / number / tag, invoice
 * amount range) runs in which mode. Rules are read in order and the first match wins; the
 * controls' `mode` applies to everything no rule matches.
 */
export const AutonomyRule = z.strictObject({
  /** A short name for audit rows and the report; default `rule <n>`. */
  name: z.string().trim().min(1).max(80).optional(),
  exception_type: z.union([ExceptionType, z.array(ExceptionType).min(1)]).optional(),
  /** Supplier ids or supplier numbers (Coupa `number`), as numbers or text. */
  supplier: z.union([z.union([z.string(), z.number()]), z.array(z.union([z.string(), z.number()])).min(1)]).optional(),
  /** A tag from `supplier_tags`. */
  supplier_tag: z.string().trim().min(1).optional(),
  /** Invoice gross total: at least `amount_min`, below `amount_max`. */
  amount_min: DecimalString.optional(),
  amount_max: DecimalString.optional(),
  mode: Mode,
});
export type AutonomyRule = z.infer<typeof AutonomyRule>;

export const ControlsSchema = z.strictObject({
  mode: Mode.default('autonomous').describe(
    'shadow: decide everything, write nothing to Coupa and propose nothing (compared with what people decide); monitor: nothing is written to Coupa, every decision becomes a proposal; assisted: comments are written, state changes wait for a person; autonomous: writes within these controls execute',
  ),
  currency: z.string().length(3).default('USD').describe('ISO 4217 code the amount limits below are in'),
  auto_resolve_max_invoice_total: DecimalString.default('5000.00').describe(
    'above this invoice total Settle never resolves without a person: it routes to the escalation reviewer',
  ),
  price_tolerance_pct: DecimalString.default('5').describe(
    'a price variance is resolved only within this percentage of the PO price …',
  ),
  price_tolerance_amount: DecimalString.default('250.00').describe(
    '… and within this total amount over the PO, per invoice',
  ),
  quantity_tolerance_pct: DecimalString.default('0').describe(
    'billed quantity may exceed the received quantity by at most this percentage',
  ),
  tax_tolerance_amount: DecimalString.default('1.00').describe(
    'a tax difference up to this amount is treated as rounding',
  ),
  new_supplier_days: z
    .number()
    .int()
    .nonnegative()
    .default(90)
    .describe(
      'suppliers created fewer than this many days ago are never resolved automatically: routed to the AP reviewer',
    ),
  duplicate_window_days: z
    .number()
    .int()
    .positive()
    .default(120)
    .describe('how many days back duplicates are searched'),
  ap_reviewer: z
    .string()
    .min(1)
    .default('ap.review')
    .describe('Coupa login that gets routine routing and held duplicates'),
  escalation_reviewer: z
    .string()
    .min(1)
    .default('ap.manager')
    .describe('Coupa login for anything over the auto-resolve limit or flagged as a risk'),
  tax_team: z
    .string()
    .min(1)
    .default('tax.team')
    .describe(
      'Coupa login of the tax team: use-tax self-assessments, exemptions, reverse charge, cross-border and nexus questions, and tax checks the tax engine could not answer',
    ),
  verify_supplier_registries: z
    .boolean()
    .default(false)
    .describe(
      "check the supplier's VAT id (VIES or check digits), IBAN/BIC and US TIN against registries on every invoice; a contradiction holds the invoice and routes a change request to the supplier-master approver. Off by default until the supplier master is known to carry real identifiers",
    ),
  supplier_master_approver: z
    .string()
    .min(1)
    .default('supplier.master')
    .describe(
      'Coupa login who approves supplier master changes: registry mismatches (VAT id, registered name, bank country) are routed to this person',
    ),
  supplier_url_allowlist: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9.-]+$/, { message: 'expected a host name such as "suppliers.example.com"' }),
    )
    .max(50)
    .default([])
    .describe(
      "hosts a supplier-visible message may link to (e.g. the customer's supplier portal); any other URL is refused",
    ),
  autonomy: z
    .array(AutonomyRule)
    .default([])
    .describe(
      'earned autonomy per slice (exception type, supplier, amount range → mode); rules are read in order, the first match wins, and `mode` applies to everything no rule matches',
    ),
  supplier_tags: z
    .record(z.string(), z.array(z.union([z.string(), z.number()])))
    .default({})
    .describe('supplier groups the autonomy rules name: tag → supplier ids or numbers'),
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

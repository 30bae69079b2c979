/**
 * The customer's guard settings (`../shared/case-format.md` § Controls). Defaults here are the
 * numbers the policy pack in `knowledge/` cites; keep the two in step.
 */
import { z } from 'zod';

const DecimalString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+(\.\d+)?$/.test(v), { message: 'expected a non-negative decimal such as "250.00"' });

export const Mode = z.enum(['monitor', 'assisted', 'autonomous']);
export type Mode = z.infer<typeof Mode>;

export const ControlsSchema = z.strictObject({
  mode: Mode.default('autonomous'),
  currency: z.string().length(3).default('USD'),
  auto_resolve_max_invoice_total: DecimalString.default('5000.00'),
  price_tolerance_pct: DecimalString.default('5'),
  price_tolerance_amount: DecimalString.default('250.00'),
  quantity_tolerance_pct: DecimalString.default('0'),
  tax_tolerance_amount: DecimalString.default('1.00'),
  new_supplier_days: z.number().int().nonnegative().default(90),
  duplicate_window_days: z.number().int().positive().default(120),
  ap_reviewer: z.string().min(1).default('ap.review'),
  escalation_reviewer: z.string().min(1).default('ap.manager'),
  /** Hosts a supplier-visible message may link to (e.g. the customer's supplier portal); any other URL is refused. */
  supplier_url_allowlist: z.array(z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+$/, { message: 'expected a host name such as "suppliers.example.com"' })).max(50).default([]),
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

/** Per-exception limits: tool calls, model tokens and wall time. On exhaustion the agent stops safely. */
import { z } from 'zod';

export const Budget = z.object({
  maxToolCalls: z.number().int().positive().default(16),
  maxTokens: z.number().int().positive().default(60_000),
  maxWallMs: z.number().int().positive().default(120_000),
});
export type Budget = z.infer<typeof Budget>;

export class BudgetExhaustedError extends Error {
  override name = 'BudgetExhaustedError';
}

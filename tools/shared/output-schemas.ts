/**
 * Output shapes shared by the analysis tools and their readers (the agent's planner and verdict):
 * one definition, so what a tool returns and what the agent parses cannot drift apart.
 */
import { z } from 'zod';

export const ControlOut = z.object({
  control: z.string(),
  limit: z.string(),
  actual: z.string(),
  within: z.boolean(),
  reason: z.string(),
});

export const FindingOut = z.object({
  kind: z.string(),
  exception_type: z.string(),
  summary: z.string(),
  line: z.string().nullable(),
  figures: z.record(z.string(), z.string()),
  evidence: z.array(z.string()),
  within_tolerance: z.boolean().nullable().describe('null when no tolerance governs this kind of finding'),
  controls: z.array(ControlOut),
});
export type FindingOut = z.infer<typeof FindingOut>;

import { z } from 'zod';
import { DUPLICATE_THRESHOLD, duplicateFindings, findDuplicateCandidates } from '../src/domain/index.js';
import { defineTool } from '../src/guard/tool.js';
import { AnalysisInput, FindingOut, findingsOut, findingsText, requireContext } from './shared/findings-output.js';

const CandidateOut = z.object({
  invoice_id: z.number(),
  invoice_number: z.string(),
  status: z.string(),
  paid: z.boolean(),
  supplier_id: z.number().nullable(),
  score: z.number(),
  is_duplicate: z.boolean(),
  reasons: z.array(z.string()),
});

export const checkDuplicates = defineTool({
  name: 'check_duplicates',
  title: 'Check for duplicates',
  description:
    'Score earlier invoices (paid or open, within the duplicate window) as possible duplicates of this one: normalised invoice number ' +
    '(case, punctuation, leading zeros, prefixes, O/0 and I/1 look-alikes), same supplier or a duplicate supplier record (name, tax id, bank account), ' +
    `amount, date. A score of ${DUPLICATE_THRESHOLD} or more is a duplicate; near-misses such as monthly rent are not.`,
  inputSchema: AnalysisInput,
  outputSchema: z.object({
    invoice_id: z.number(),
    threshold: z.number(),
    candidates: z.array(CandidateOut),
    findings: z.array(FindingOut),
  }),
  guardClass: 'analysis',
  invoiceIdOf: (i) => i.invoice_id,
  async handler({ invoice_id }, ctx) {
    const invoiceCtx = await requireContext(ctx, invoice_id);
    const candidates = findDuplicateCandidates(invoiceCtx, ctx.controls);
    const findings = findingsOut(duplicateFindings(candidates), ctx.controls);
    return {
      data: {
        invoice_id,
        threshold: DUPLICATE_THRESHOLD,
        candidates: candidates.slice(0, 10).map((c) => ({
          invoice_id: c.invoiceId,
          invoice_number: c.invoiceNumber,
          status: c.status,
          paid: c.paid,
          supplier_id: c.supplierId ?? null,
          score: c.score,
          is_duplicate: c.isDuplicate,
          reasons: c.reasons,
        })),
        findings,
      },
      text: findingsText(`Duplicates (${candidates.length} candidate(s) scored)`, findings),
      invoiceId: invoice_id,
    };
  },
});

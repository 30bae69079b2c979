import { z } from 'zod';
import { ExceptionType } from '../src/domain/vocabulary.js';
import { defineTool } from '../src/guard/tool.js';

export const CitationOut = z.object({
  document: z.string(),
  section_id: z.string().nullable(),
  title: z.string(),
  text: z.string(),
  score: z.number(),
});

export const searchPolicies = defineTool({
  name: 'search_policies',
  title: 'Search AP policies',
  description:
    "Search the company's AP policy pack (tolerances, approval matrix, duplicates, supplier and bank changes, tax, non-PO coding, dispute codes). " +
    'Results are citable clauses: document, section id (e.g. AP-TOL-2.1) and text.',
  inputSchema: z.strictObject({
    query: z.string().trim().min(2).max(500),
    exception_type: ExceptionType.optional(),
    limit: z.number().int().min(1).max(10).default(5),
  }),
  outputSchema: z.object({ results: z.array(CitationOut) }),
  guardClass: 'read',
  ownStoreOnly: true,
  async handler(input, ctx) {
    const search = (exceptionType?: typeof input.exception_type) =>
      ctx.knowledge.search(input.query, {
        kind: 'policy',
        limit: input.limit,
        ...(exceptionType ? { exceptionType } : {}),
      });
    // Policy clauses are rarely tagged with an exception type: the filter narrows when they are,
    // and must not leave the caller with nothing to cite when they are not.
    const filtered = input.exception_type ? await search(input.exception_type) : [];
    const hits = filtered.length ? filtered : await search();
    const results = hits.map((h) => ({
      document: h.document,
      section_id: h.sectionId,
      title: h.title,
      text: h.text,
      score: Math.round(h.score * 1e4) / 1e4,
    }));
    return {
      data: { results },
      text: results.length
        ? results.map((r) => `${r.section_id ?? r.document} ${r.title}`).join('; ')
        : 'No policy matched.',
    };
  },
});

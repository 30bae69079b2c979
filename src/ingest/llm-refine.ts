/**
 * Optional second pass with an OpenAI-compatible model: only for header fields the deterministic
 * pass found nothing for or read with low confidence. The document text goes in fenced as
 * untrusted data; what comes back is a value like any other, checked by the same acceptors'
 * rules (dates, amounts) and capped below "confirmed" so validation still has the last word.
 */
import { z } from 'zod';
import { createLlm, llmConfigured } from '../llm/chat-model.js';
import type { Config } from '../config.js';
import { createFence, UNTRUSTED_NOTICE } from '../guard/untrusted.js';
import { parseAmount, parseDate } from './numbers.js';
import { HEADER_FIELDS, type ExtractedInvoice, type HeaderField } from './types.js';
import { MIN_CONFIDENCE } from './validate.js';

/** Improves an extraction; returns it unchanged when there is nothing to improve. */
export type Refiner = (invoice: ExtractedInvoice, documentText: string) => Promise<ExtractedInvoice>;

const LLM_CONFIDENCE = 0.82;
/** Long documents are cut: the header fields sit on the first pages. */
const MAX_TEXT = 12_000;

const Answer = z.object(
  Object.fromEntries(HEADER_FIELDS.map((f) => [f, z.string().nullable()])) as Record<
    HeaderField,
    z.ZodNullable<z.ZodString>
  >,
);

/** Normalise a model's answer the way the deterministic pass would, or drop it. */
function canonical(field: HeaderField, raw: string): string | undefined {
  if (field === 'invoiceDate' || field === 'dueDate') return parseDate(raw);
  if (field === 'subtotal' || field === 'tax' || field === 'total') return parseAmount(raw);
  if (field === 'currency') return /^[A-Z]{3}$/.test(raw.trim()) ? raw.trim() : undefined;
  return raw.trim() || undefined;
}

/** The fields worth asking about. */
export function weakFields(invoice: ExtractedInvoice): HeaderField[] {
  return HEADER_FIELDS.filter((f) => (invoice.fields[f]?.confidence ?? 0) < MIN_CONFIDENCE);
}

/** A refiner over `ask` (a structured model call); exported for tests with a scripted model. */
export function createRefiner(ask: (prompt: string) => Promise<Partial<Record<HeaderField, string | null>>>): Refiner {
  return async (invoice, documentText) => {
    const wanted = weakFields(invoice);
    if (wanted.length === 0) return invoice;
    const fence = createFence();
    const prompt = [
      'Read the supplier invoice below and give these fields exactly as printed, or null when absent:',
      wanted.join(', ') + '.',
      'Dates as YYYY-MM-DD, amounts as plain decimals, currency as an ISO code.',
      UNTRUSTED_NOTICE,
      fence.wrap(documentText.slice(0, MAX_TEXT)),
    ].join('\n');
    const answer = await ask(prompt);
    const fields = { ...invoice.fields };
    for (const name of wanted) {
      const raw = answer[name];
      const value = raw ? canonical(name, raw) : undefined;
      // A model's value replaces only a weaker one; agreement with the deterministic read confirms it.
      if (value === undefined) continue;
      const current = fields[name];
      const confidence = current?.value === value ? Math.max(current.confidence, 0.9) : LLM_CONFIDENCE;
      if (!current || current.confidence < confidence) fields[name] = { value, confidence, source: 'llm' };
    }
    return { ...invoice, fields };
  };
}

/** The configured model as a refiner, or undefined when no model is configured (the default). */
export function createLlmRefiner(config: Pick<Config, 'openai'>): Refiner | undefined {
  if (!llmConfigured(config)) return undefined;
  const model = createLlm(config, { timeoutMs: 30_000 }).withStructuredOutput(Answer.partial(), {
    name: 'invoice_fields',
  });
  return createRefiner(async (prompt) => model.invoke(prompt));
}

/**
 * Supplier-provided text on the review page: shown as text (the `html` template escapes it), with
 * the `<untrusted-data-…>` fences the model sees removed and a visible label in their place, so a
 * reader knows the words came from outside the company.
 */
import { html, type SafeHtml } from './html.js';

const FENCE = /<\/?untrusted-data-[0-9a-f]+>/gi;

/** The text without fence markers, and whether any part of it was fenced. */
export function unfence(text: string): { text: string; fenced: boolean } {
  const fenced = FENCE.test(text);
  FENCE.lastIndex = 0;
  return { text: text.replace(FENCE, ''), fenced };
}

/** Supplier text, labelled; null or empty renders an em dash. */
export function supplierText(text: string | null | undefined): SafeHtml {
  if (text === null || text === undefined || text.trim() === '') return html`<span class="muted">—</span>`;
  return html`<span class="supplier-text"><span class="tag">supplier text</span> ${unfence(text).text}</span>`;
}

/** Text that may contain fenced supplier passages (evidence, tool summaries): fences become labels. */
export function mixedText(text: string): SafeHtml {
  const parts = text.split(/(<untrusted-data-[0-9a-f]+>[\s\S]*?<\/untrusted-data-[0-9a-f]+>)/i);
  return html`${parts.map((part) => (/^<untrusted-data-/i.test(part) ? supplierText(part) : part))}`;
}

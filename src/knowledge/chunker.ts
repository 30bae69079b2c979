/**
 * Markdown chunking that follows the policy pack's citable sections: every heading that carries a
 * section id (`## AP-TOL-2.1 Price variance …`) starts a chunk, so a search hit cites exactly one
 * section. Headings without an id stay inside their section. Long sections become overlapping
 * sub-chunks that keep the section id.
 */
import { contentHash, normaliseText } from './text.js';

export interface Chunk {
  /** Stable within the document: `<section id or "preamble">#<part>`. */
  key: string;
  sectionId: string | null;
  /** The section heading without its id (or the document title for the preamble). */
  title: string;
  /** What a citation quotes. */
  text: string;
  /** Document title and heading path, one per line: embedded with the text for context. */
  context: string;
  /** What gets embedded and hashed: `context` + newline + `text`. */
  embedText: string;
  hash: string;
}

export interface ChunkedDocument {
  title: string;
  frontMatter: Record<string, string>;
  chunks: Chunk[];
}

export interface ChunkOptions {
  /** Fallback title when there is no front-matter `title` and no `# H1`. */
  title: string;
  maxChars?: number;
  overlapChars?: number;
}

/** `AP-TOL-2.1`, `AP-DOA-3`, `RES-00042`: upper-case words joined by hyphens ending in a number. */
const SECTION_HEADING = /^(#{1,6})\s+([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+(?:\.\d+)*)(?=\s|$)[\s:.\u2013\u2014-]*(.*)$/;
const ANY_HEADING = /^(#{1,6})\s+(.*)$/;

interface Section {
  level: number;
  sectionId: string | null;
  heading: string;
  lines: string[];
}

function parseFrontMatter(lines: string[]): { meta: Record<string, string>; bodyStart: number } {
  if (lines[0]?.trim() !== '---') return { meta: {}, bodyStart: 0 };
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end < 0) return { meta: {}, bodyStart: 0 };
  const meta: Record<string, string> = {};
  for (const line of lines.slice(1, end)) {
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.*)$/.exec(line);
    if (m?.[1]) meta[m[1]] = (m[2] ?? '').replace(/^["']|["']$/g, '').trim();
  }
  return { meta, bodyStart: end + 1 };
}

function splitSections(lines: string[]): { h1: string | null; sections: Section[] } {
  let h1: string | null = null;
  const preamble: Section = { level: 0, sectionId: null, heading: '', lines: [] };
  const sections: Section[] = [preamble];
  let current = preamble;
  for (const line of lines) {
    const id = SECTION_HEADING.exec(line);
    if (id) {
      current = { level: id[1]!.length, sectionId: id[2]!, heading: (id[3] ?? '').trim(), lines: [line] };
      sections.push(current);
      continue;
    }
    const any = ANY_HEADING.exec(line);
    if (any && any[1] === '#' && h1 === null && current === preamble) h1 = (any[2] ?? '').trim();
    current.lines.push(line);
  }
  return { h1, sections };
}

/** Pieces no longer than `max`: paragraphs, then sentences, then hard cuts for run-on text. */
function atoms(text: string, max: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split(/\n{2,}/)) {
    if (paragraph.length <= max) {
      out.push(paragraph);
      continue;
    }
    for (const sentence of paragraph.split(/(?<=[.!?;])\s+|\n/)) {
      for (let i = 0; i < sentence.length; i += max) out.push(sentence.slice(i, i + max));
    }
  }
  return out.filter((a) => a.trim() !== '');
}

/** Greedy packing into parts of at most `max` chars; each part after the first repeats the previous tail. */
export function splitLong(text: string, max: number, overlap: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = '';
  for (const atom of atoms(text, Math.max(1, max - overlap - 2))) {
    if (current !== '' && current.length + atom.length + 2 > max) {
      parts.push(current);
      const tail = current.slice(-overlap);
      const cut = tail.search(/\s/);
      current = cut >= 0 ? tail.slice(cut + 1) : tail;
    }
    current = current === '' ? atom : `${current}\n\n${atom}`;
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}

/** Split a Markdown document into citable chunks. Empty input gives no chunks. */
export function chunkMarkdown(text: string, options: ChunkOptions): ChunkedDocument {
  const maxChars = options.maxChars ?? 1600;
  const overlapChars = Math.min(options.overlapChars ?? 200, Math.floor(maxChars / 4));
  const lines = normaliseText(text).split('\n');
  const { meta, bodyStart } = parseFrontMatter(lines);
  const { h1, sections } = splitSections(lines.slice(bodyStart));
  const title = meta.title ?? h1 ?? options.title;

  const chunks: Chunk[] = [];
  const seen = new Map<string, number>();
  const trail: Section[] = []; // heading path, for context in the embedded text
  for (const section of sections) {
    while (trail.length > 0 && trail[trail.length - 1]!.level >= section.level) trail.pop();
    if (section.level > 0) trail.push(section);
    const body = section.lines.join('\n').trim();
    const substance = section.lines.filter((l) => !ANY_HEADING.test(l)).join('\n').trim();
    if (substance === '') continue;

    const base = section.sectionId ?? 'preamble';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const keyBase = n === 1 ? base : `${base}~${n}`;
    const context = [title, ...trail.map((s) => `${s.sectionId ?? ''} ${s.heading}`.trim())].join('\n');
    splitLong(body, maxChars, overlapChars).forEach((part, i) => {
      const embedText = `${context}\n${part}`;
      chunks.push({
        key: `${keyBase}#${i}`,
        sectionId: section.sectionId,
        title: section.sectionId ? section.heading || section.sectionId : title,
        text: part,
        context,
        embedText,
        hash: contentHash(embedText),
      });
    });
  }
  return { title, frontMatter: meta, chunks };
}

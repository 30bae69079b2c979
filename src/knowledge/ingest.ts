/**
 * From files and caller input to prepared documents: strict UTF-8 decoding, Markdown chunking,
 * JSONL resolutions. A directory ingest also removes the documents it added earlier whose files
 * are gone, so the store mirrors the folder.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { chunkMarkdown } from './chunker.js';
import { parseResolutionLines, resolutionDocument } from './resolution-docs.js';
import { KnowledgeInputError, decodeDocument } from './text.js';
import { KnowledgeKind, type DocumentInput } from './types.js';
import type { PreparedDocument } from './writer.js';

const DOCUMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;

/** Decode and chunk one caller-supplied document. */
export function prepareDocument(input: DocumentInput): PreparedDocument {
  if (!DOCUMENT_ID.test(input.id)) throw new KnowledgeInputError(`document id "${input.id}" must be 1-200 characters of letters, digits and . _ : / -`);
  const kind = KnowledgeKind.parse(input.kind);
  const text = decodeDocument(input.id, input.text);
  const chunked = chunkMarkdown(text, { title: input.title });
  return {
    id: input.id,
    kind,
    title: input.title.trim() || chunked.title,
    origin: input.origin ?? 'api',
    metadata: { ...chunked.frontMatter, ...(input.metadata ?? {}) },
    chunks: chunked.chunks,
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && /\.(md|jsonl)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** `policies/tolerance-policy.md` → `policies/tolerance-policy`, with forward slashes on every OS. */
function idFromPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/').replace(/\.md$/i, '');
}

/** Every document under `dir`, and the origin tag that marks them as this folder's. */
export async function prepareDirectory(dir: string): Promise<{ origin: string; docs: PreparedDocument[] }> {
  const root = resolve(dir);
  const origin = `dir:${root}`;
  let files: string[];
  try {
    files = await listFiles(root);
  } catch (error) {
    throw new KnowledgeInputError(`cannot read knowledge folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const docs: PreparedDocument[] = [];
  for (const file of files) {
    const name = join(dir, relative(root, file));
    const text = decodeDocument(name, await readFile(file));
    if (file.toLowerCase().endsWith('.jsonl')) {
      for (const record of parseResolutionLines(name, text)) docs.push(resolutionDocument(record, origin, 'history'));
      continue;
    }
    const fallbackId = idFromPath(root, file);
    const chunked = chunkMarkdown(text, { title: fallbackId });
    const { id = fallbackId, kind = 'policy', ...meta } = chunked.frontMatter;
    const parsedKind = KnowledgeKind.safeParse(kind);
    if (!parsedKind.success) throw new KnowledgeInputError(`${name}: front-matter kind "${kind}" must be one of ${KnowledgeKind.options.join(', ')}`);
    docs.push({ id, kind: parsedKind.data, title: chunked.title, origin, metadata: { ...meta, path: relative(root, file).split(sep).join('/') }, chunks: chunked.chunks });
  }
  const seen = new Set<string>();
  for (const doc of docs) {
    if (seen.has(doc.id)) throw new KnowledgeInputError(`${dir}: document id "${doc.id}" appears twice; ids must be unique`);
    seen.add(doc.id);
  }
  return { origin, docs };
}

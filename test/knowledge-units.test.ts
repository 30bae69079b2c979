/**
 * The pure parts of the knowledge store: Markdown chunking, text hashing, the offline embedder,
 * the GL-owner table parser, and the OpenAI-compatible embedder against a real loopback server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chunkMarkdown,
  createEmbedder,
  createLocalEmbedder,
  createOpenAiEmbedder,
  parseGlOwners,
} from '../src/knowledge/index.js';
import { splitLong } from '../src/knowledge/chunker.js';
import { contentHash } from '../src/knowledge/text.js';
import { hashEmbed } from '../src/knowledge/embedder-local.js';

const cosine = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('chunkMarkdown', () => {
  const doc = `---\ntitle: Duplicate policy\nowner: ap.manager\n---\n# Duplicate policy\nIntro.\n\n## DUP-1 Holding\nHold them.\n### Notes without id\nStill DUP-1.\n### DUP-1.1 Window\n120 days.\n## DUP-1 Holding\nA repeated id.\n`;

  it('splits on headings that carry a section id, keeping front matter and the title', () => {
    const out = chunkMarkdown(doc, { title: 'fallback' });
    expect(out.title).toBe('Duplicate policy');
    expect(out.frontMatter).toEqual({ title: 'Duplicate policy', owner: 'ap.manager' });
    expect(out.chunks.map((c) => [c.key, c.sectionId, c.title])).toEqual([
      ['preamble#0', null, 'Duplicate policy'],
      ['DUP-1#0', 'DUP-1', 'Holding'],
      ['DUP-1.1#0', 'DUP-1.1', 'Window'],
      ['DUP-1~2#0', 'DUP-1', 'Holding'],
    ]);
    expect(out.chunks[1]!.text).toContain('Still DUP-1.');
    expect(out.chunks[2]!.context).toBe('Duplicate policy\nDUP-1 Holding\nDUP-1.1 Window');
  });

  it('gives no chunks for empty or heading-only input', () => {
    expect(chunkMarkdown('', { title: 'x' }).chunks).toEqual([]);
    expect(chunkMarkdown('# Title\n\n## AP-X-1 Empty section\n', { title: 'x' }).chunks).toEqual([]);
  });

  it('splits long text into bounded parts that overlap', () => {
    const text = Array.from({ length: 200 }, (_, i) => `Sentence number ${i} about freight.`).join(' ');
    const parts = splitLong(text, 500, 100);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(500);
    for (let i = 1; i < parts.length; i++) {
      const tail = parts[i - 1]!.slice(-40);
      expect(parts[i]!.includes(tail.slice(tail.indexOf(' ') + 1))).toBe(true);
    }
    expect(splitLong('y'.repeat(2000), 300, 50).every((p) => p.length <= 300)).toBe(true);
  });

  it('hashes normalised text: trailing spaces, CRLF and blank runs do not matter; words do', () => {
    expect(contentHash('a  \r\nb\n\n\n\nc')).toBe(contentHash('a\nb\n\nc'));
    expect(contentHash('a b')).not.toBe(contentHash('a c'));
  });
});

describe('offline embedder', () => {
  const embedder = createLocalEmbedder();

  it('is deterministic, L2-normalised and of the declared dimension', async () => {
    const [a, b] = await embedder.embed(['Duplicate invoice held', 'Duplicate invoice held']);
    expect(a).toHaveLength(384);
    expect(a).toEqual(b);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 6);
    expect(hashEmbed('', 384).every((x) => x === 0)).toBe(true);
  });

  it('places AP synonyms closer than unrelated text', () => {
    const query = hashEmbed('vendor billed us twice for the same bill', 384);
    const duplicate = hashEmbed('Suspected duplicate invoices from the same supplier are held', 384);
    const tax = hashEmbed('EU VAT invoices must carry the VAT identification number', 384);
    expect(cosine(query, duplicate)).toBeGreaterThan(cosine(query, tax) + 0.1);
  });
});

describe('GL owner table', () => {
  it('reads account → owner login from a Markdown table, case-insensitively keyed', () => {
    const md =
      '| Account | Description | Owner (login) | Backup approver |\n|---|---|---|---|\n| 6100-IT-Software | Software | it.owner | fin.owner |\n| `6200-FAC-Rent` | Rent | fac.owner | ops.owner |\n\nText.';
    expect([...parseGlOwners(md)]).toEqual([
      ['6100-IT-SOFTWARE', 'it.owner'],
      ['6200-FAC-RENT', 'fac.owner'],
    ]);
    expect(parseGlOwners('| Name | Value |\n|---|---|\n| a | b |').size).toBe(0);
  });
});

describe('OpenAI-compatible embedder over loopback HTTP', () => {
  let server: Server;
  let baseUrl: string;
  const requests: Array<{ model: string; input: string[]; auth: string | undefined }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { model: string; input: string[] };
        requests.push({ ...parsed, auth: req.headers.authorization });
        // A tiny 3-dimensional "model": length, vowels, spaces.
        const data = parsed.input.map((t, index) => ({
          object: 'embedding',
          index,
          embedding: [t.length, (t.match(/[aeiou]/g) ?? []).length, (t.match(/ /g) ?? []).length],
        }));
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ object: 'list', data, model: parsed.model, usage: { prompt_tokens: 1, total_tokens: 1 } }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('probes an unknown model for its dimension and embeds through the endpoint', async () => {
    const embedder = await createOpenAiEmbedder({ model: 'local-embed', apiKey: 'sk-test', baseUrl });
    expect(embedder).toMatchObject({ model: 'local-embed', dimensions: 3 });
    expect(await embedder.embed(['a b', 'hello'])).toEqual([
      [3, 1, 1],
      [5, 2, 0],
    ]);
    expect(requests.at(-1)).toMatchObject({ model: 'local-embed', input: ['a b', 'hello'], auth: 'Bearer sk-test' });
  });

  it('is chosen by createEmbedder only when SETTLE_EMBEDDING_MODEL is set', async () => {
    const none = { apiKey: 'sk-test', baseUrl, model: undefined, embeddingModel: undefined };
    expect((await createEmbedder({ openai: none })).model).toBe('settle-hash-v1');
    expect((await createEmbedder({ openai: { ...none, embeddingModel: 'local-embed' } })).dimensions).toBe(3);
    await expect(
      createEmbedder({
        openai: { apiKey: undefined, baseUrl: undefined, model: undefined, embeddingModel: 'text-embedding-3-small' },
      }),
    ).rejects.toThrow(/needs OPENAI_API_KEY or OPENAI_BASE_URL/);
  });
});

/**
 * GL account → budget owner, from whatever coding guides are in the knowledge store (the
 * sample pack's, a customer's own, or an eval case's documents). Cached briefly: it changes only
 * when knowledge is ingested.
 */
import type { Db } from '../db/connection.js';
import { parseGlOwners } from '../knowledge/index.js';

export function createGlOwnerLookup(db: Db, ttlMs = 60_000): () => Promise<ReadonlyMap<string, string>> {
  let cached: { at: number; value: Promise<ReadonlyMap<string, string>> } | undefined;
  async function load(): Promise<ReadonlyMap<string, string>> {
    const { rows } = await db.query<{ text: string }>(
      `select text from knowledge_chunks where kind in ('policy', 'case') and text ~* 'owner' order by document_id, chunk_key`,
    );
    const owners = new Map<string, string>();
    for (const row of rows) for (const [code, login] of parseGlOwners(row.text)) owners.set(code, login);
    return owners;
  }
  return () => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      cached = { at: Date.now(), value: load() };
      cached.value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
}

/** A migrated in-process database with a knowledge store on the offline embedder: the setup the knowledge tests share. */
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { createKnowledgeStore, createLocalEmbedder, type KnowledgeStoreAdmin } from '../src/knowledge/index.js';

export async function openLocalKnowledgeStore(): Promise<{ db: Db; store: KnowledgeStoreAdmin }> {
  const db = await openDb();
  await migrate(db);
  return { db, store: await createKnowledgeStore({ db, embedder: createLocalEmbedder() }) };
}

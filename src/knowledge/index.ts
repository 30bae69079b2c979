/** The knowledge store: policy pack and past resolutions, searchable with citations. */
export type {
  Citation, DocumentInput, Embedder, IngestReport, KnowledgeKind, KnowledgeStats, KnowledgeStore, ResolutionInput, SearchOptions,
} from './types.js';
export { createKnowledgeStore, reindexKnowledge, type KnowledgeStoreAdmin, type KnowledgeStoreDeps } from './store.js';
export { createEmbedder, createOpenAiEmbedder } from './embedder.js';
export { createLocalEmbedder, LOCAL_EMBEDDING_DIMENSIONS, LOCAL_EMBEDDING_MODEL } from './embedder-local.js';
export { KnowledgeIndexMismatchError } from './index-meta.js';
export { KnowledgeInputError } from './text.js';
export { chunkMarkdown, type Chunk, type ChunkedDocument } from './chunker.js';
export { glOwnerOf, parseGlOwners } from './gl-owners.js';
export { ResolutionRecord } from './resolution-docs.js';

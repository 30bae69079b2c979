/**
 * Embedder selection. `SETTLE_EMBEDDING_MODEL` names an OpenAI-compatible embeddings model (served
 * at `OPENAI_BASE_URL`, or OpenAI itself); without it the offline hashing embedder is used. The
 * choice is explicit, not inferred from an API key being present, because switching embedders
 * means re-indexing the knowledge store.
 */
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { LOCAL_EMBEDDING_MODEL, createLocalEmbedder } from './embedder-local.js';
import type { Embedder } from './types.js';

/** pgvector's HNSW index handles at most 2000 dimensions for `vector`. */
export const MAX_INDEXED_DIMENSIONS = 2000;

const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export interface OpenAiEmbedderOptions {
  model: string;
  apiKey: string | undefined;
  baseUrl: string | undefined;
  /** Ask the endpoint for this many dimensions (text-embedding-3 models can shorten). */
  dimensions?: number;
  batchSize?: number;
}

/** An OpenAI-compatible embeddings endpoint. Probes one text to learn the dimension of unknown models. */
export async function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Promise<Embedder> {
  const known = KNOWN_DIMENSIONS[options.model];
  // The 3-large model is shortened to fit the HNSW limit; it was trained to allow this.
  const requested = options.dimensions ?? (known !== undefined && known > MAX_INDEXED_DIMENSIONS ? 1536 : undefined);
  const client = new (await import('@langchain/openai')).OpenAIEmbeddings({
    model: options.model,
    // Self-hosted compatible servers often need no key, but the client insists on one.
    apiKey: options.apiKey ?? 'not-needed',
    batchSize: options.batchSize ?? 256,
    stripNewLines: false,
    // Plain floats: some compatible servers ignore `base64`, which the client would then misread.
    encodingFormat: 'float',
    ...(requested !== undefined ? { dimensions: requested } : {}),
    configuration: options.baseUrl ? { baseURL: options.baseUrl } : {},
  });
  const embed = async (texts: string[]): Promise<number[][]> =>
    texts.length === 0 ? [] : client.embedDocuments(texts.map((t) => (t.trim() === '' ? ' ' : t)));
  const dimensions = requested ?? known ?? (await embed(['dimension probe']))[0]?.length ?? 0;
  if (dimensions < 1 || dimensions > MAX_INDEXED_DIMENSIONS) {
    throw new UserError(`embedding model ${options.model} gives ${dimensions} dimensions; the index supports 1 to ${MAX_INDEXED_DIMENSIONS}`);
  }
  const model = requested !== undefined && requested !== known ? `${options.model}@${requested}` : options.model;
  return {
    model,
    dimensions,
    embed: async (texts) => {
      const vectors = await embed(texts);
      for (const v of vectors) {
        if (v.length !== dimensions) throw new Error(`embedding endpoint returned ${v.length} dimensions for ${options.model}, expected ${dimensions}`);
      }
      return vectors;
    },
  };
}

/** The configured embedder: OpenAI-compatible when `SETTLE_EMBEDDING_MODEL` is set, else the offline one. */
export async function createEmbedder(config: Pick<Config, 'openai'>): Promise<Embedder> {
  const model = config.openai.embeddingModel;
  if (model === undefined || model === LOCAL_EMBEDDING_MODEL || model === 'local') return createLocalEmbedder();
  if (config.openai.apiKey === undefined && config.openai.baseUrl === undefined) {
    throw new UserError(`SETTLE_EMBEDDING_MODEL=${model} needs OPENAI_API_KEY or OPENAI_BASE_URL (unset it to use the offline embedder)`);
  }
  return createOpenAiEmbedder({ model, apiKey: config.openai.apiKey, baseUrl: config.openai.baseUrl });
}

/**
 * The offline default embedder: deterministic, no network, no model files. Feature hashing of
 * stemmed word unigrams, bigrams, character trigrams and AP concept features (see ap-terms.ts),
 * sublinear term frequency, signed buckets, L2-normalised. It is a bag-of-words model, not a
 * language model — good at vocabulary overlap and AP synonyms; full-text ranking complements it.
 */
import { LOW_SIGNAL, extractTerms } from './ap-terms.js';
import type { Embedder } from './types.js';

export const LOCAL_EMBEDDING_MODEL = 'settle-hash-v1';
export const LOCAL_EMBEDDING_DIMENSIONS = 384;

const WEIGHT = { word: 1, lowSignalWord: 0.35, concept: 0.9, bigram: 0.55, trigram: 0.2 } as const;

/** FNV-1a 32-bit, then a murmur3 finaliser so nearby strings spread over all buckets. */
function hash32(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Feature → occurrence count. The prefix says what kind of feature it is (w, b, t, c). */
function countFeatures(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string): void => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const { words, concepts } = extractTerms(text);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    add(`w:${word}`);
    const next = words[i + 1];
    if (next !== undefined) add(`b:${word} ${next}`);
    // Trigrams catch spelling variants and compounds the stemmer misses ("overbill" ~ "billed").
    if (word.length > 3 && !/^\d/.test(word)) {
      const padded = `^${word}$`;
      for (let j = 0; j + 3 <= padded.length; j++) add(`t:${padded.slice(j, j + 3)}`);
    }
  }
  for (const concept of concepts) add(`c:${concept}`);
  return counts;
}

function weightOf(feature: string): number {
  switch (feature[0]) {
    case 'b':
      return WEIGHT.bigram;
    case 't':
      return WEIGHT.trigram;
    case 'c':
      return WEIGHT.concept;
    default:
      return LOW_SIGNAL.has(feature.slice(2)) ? WEIGHT.lowSignalWord : WEIGHT.word;
  }
}

/** Embed one text into `dimensions` signed hash buckets. Empty text gives the zero vector. */
export function hashEmbed(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, count] of countFeatures(text)) {
    // Sublinear tf: a term said ten times is not ten times as relevant.
    const value = weightOf(feature) * (1 + Math.log(count));
    const h = hash32(feature, 17);
    vector[h % dimensions]! += (h & 0x80000000) !== 0 ? -value : value;
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

/** The offline, deterministic embedder. */
export function createLocalEmbedder(dimensions = LOCAL_EMBEDDING_DIMENSIONS): Embedder {
  return {
    model: dimensions === LOCAL_EMBEDDING_DIMENSIONS ? LOCAL_EMBEDDING_MODEL : `${LOCAL_EMBEDDING_MODEL}-${dimensions}`,
    dimensions,
    embed: async (texts) => texts.map((t) => hashEmbed(t, dimensions)),
  };
}

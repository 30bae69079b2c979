/**
 * The full-text side's query plan (fulltext.ts): which words find the candidates and how every
 * lexeme is quoted. The choice is pure; the quoting is checked against Postgres itself (PGlite),
 * with the punctuation supplier text brings (apostrophes, backslashes, tsquery operators).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/db/connection.js';
import {
  CANDIDATE_BUDGET,
  planTextQuery,
  queryLexemes,
  termFrequencies,
  type TermFrequencies,
} from '../src/knowledge/fulltext.js';

const ROWS = 50_000;
/** Shares of chunks: `invoic` and `price` are in most chunks, `quot` in some, others are rare. */
const freqs: TermFrequencies = termFrequencies({
  lexemes: ['invoic', 'price', 'po', 'quot'],
  freqs: [0.9, 0.6, 0.5, 0.01],
  rows: ROWS,
});

describe('planTextQuery', () => {
  it('finds candidates through the rarest words within the budget, and ranks by all of them', () => {
    const plan = planTextQuery(['invoic', 'price', 'quot', 'zqx'], freqs);
    // zqx is not in the statistics (rarer than any listed word), quot adds 500 expected rows.
    expect(0.01 * ROWS).toBeLessThan(CANDIDATE_BUDGET);
    expect(plan.find).toBe(`'zqx' | 'quot'`);
    expect(plan.rank).toBe(`'zqx' | 'quot' | 'price' | 'invoic'`);
  });

  it('asks for the two rarest together when even the rarest word is too common', () => {
    expect(planTextQuery(['invoic', 'price', 'po'], freqs).find).toBe(`'po' & 'price'`);
    // A single common word is still searched for (an AND of one word is the word).
    expect(planTextQuery(['invoic'], freqs).find).toBe(`'invoic'`);
  });

  it('plans nothing for a query without lexemes', () => {
    expect(planTextQuery([], freqs)).toEqual({ find: null, rank: null });
  });

  it('without statistics every word is a candidate', () => {
    const none = termFrequencies({ lexemes: [], freqs: [], rows: 1 });
    expect(planTextQuery(['b', 'a'], none).find).toBe(`'a' | 'b'`);
  });
});

describe('quoting, against Postgres', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  const texts = [
    "O'Brien's invoice \\\\server\\share INV-7'A",
    'price & quantity | !tax <-> (po):* "quoted"',
    "it's a 'trap'); drop table x; --",
    'Rechnung für Müller – Preis über Bestellung',
  ];
  for (const text of texts) {
    it(`every lexeme of ${JSON.stringify(text)} is one tsquery operand that matches the text`, async () => {
      const lexemes = await queryLexemes(db, text);
      expect(lexemes.length).toBeGreaterThan(0);
      const { find, rank } = planTextQuery(lexemes, freqs);
      const { rows } = await db.query<{ found: boolean; ranked: boolean }>(
        `select to_tsvector('english', $1::text) @@ $2::tsquery as found,
                to_tsvector('english', $1::text) @@ $3::tsquery as ranked`,
        [text, find, rank],
      );
      expect(rows[0]).toMatchObject({ found: true, ranked: true });
      const { rows: parsed } = await db.query<{ n: number }>(`select numnode($1::tsquery) as n`, [rank]);
      // n lexemes OR-ed: n operands and n - 1 operators, so no lexeme was split or merged.
      expect(parsed[0]!.n).toBe(2 * lexemes.length - 1);
    });
  }
});

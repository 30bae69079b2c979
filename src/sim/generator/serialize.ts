/**
 * JSON output in chunks, one record at a time: a 100k-invoice dataset is larger than is comfortable
 * (or, for a single string, possible) to build in one `JSON.stringify`. Key order follows insertion,
 * which the generator fixes, so the same company always gives the same bytes.
 */
import type { CoupaDataset } from '../dataset.js';
import type { SampleCompany } from './types.js';

/** The dataset (the `coupa` object of a replay case) as JSON text chunks. */
export function* serializeDataset(dataset: CoupaDataset): Generator<string> {
  const keys = Object.keys(dataset) as Array<keyof CoupaDataset>;
  yield '{';
  for (const [k, key] of keys.entries()) {
    yield `${k === 0 ? '' : ','}\n${JSON.stringify(key)}:[`;
    const records = dataset[key] as unknown[];
    for (let i = 0; i < records.length; i++) yield `${i === 0 ? '\n' : ',\n'}${JSON.stringify(records[i])}`;
    yield '\n]';
  }
  yield '\n}\n';
}

/** The whole company (dataset, labels, history, summary) as JSON text chunks. */
export function* serializeCompany(company: SampleCompany): Generator<string> {
  yield `{"seed":${company.seed},"now":${JSON.stringify(company.now)},"summary":${JSON.stringify(company.summary)},\n"glAccounts":${JSON.stringify(company.glAccounts)},\n"exceptions":[`;
  for (let i = 0; i < company.exceptions.length; i++)
    yield `${i === 0 ? '\n' : ',\n'}${JSON.stringify(company.exceptions[i])}`;
  yield '\n],\n"history":[';
  for (let i = 0; i < company.history.length; i++)
    yield `${i === 0 ? '\n' : ',\n'}${JSON.stringify(company.history[i])}`;
  yield '\n],\n"dataset":';
  yield* serializeDataset(company.dataset);
  yield '}\n';
}

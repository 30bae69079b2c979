/** The policy pack (`knowledge/policies/*.md`) exposed as MCP resources `settle://policies/<id>`. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dataPath } from '../paths.js';

/** The policy pack served as MCP resources (the project's `knowledge/policies`). */
export const POLICY_DIR = dataPath('knowledge', 'policies');

export interface PolicyDocument {
  id: string;
  uri: string;
  title: string;
  text: string;
}

export interface PolicyLibrary {
  list(): PolicyDocument[];
  get(uri: string): PolicyDocument | undefined;
}

export function loadPolicyLibrary(dir: string): PolicyLibrary {
  const docs = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((file): PolicyDocument => {
          const text = readFileSync(join(dir, file), 'utf8');
          const id = basename(file, '.md');
          const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? id;
          return { id, uri: `settle://policies/${id}`, title, text };
        })
    : [];
  const byUri = new Map(docs.map((d) => [d.uri, d]));
  return { list: () => docs, get: (uri) => byUri.get(uri) };
}

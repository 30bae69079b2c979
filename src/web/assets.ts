/**
 * The review page's static files: its stylesheet and two small scripts from `src/web/assets`, and
 * Chart.js's UMD build straight from node_modules. A fixed list, read once: no path from the
 * request ever reaches the file system.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { BASE } from './layout.js';
import { dataPath } from '../paths.js';

const ASSET_DIR = dataPath('src', 'web', 'assets');

function chartJsPath(): string {
  // The package exports only its module entry points; the UMD build sits next to them in dist/.
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(entry), 'chart.umd.min.js');
}

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/** Serve `BASE/assets/<name>` for the known files. */
export function registerAssets(app: FastifyInstance): void {
  const files = new Map<string, Buffer>([
    ['app.css', readFileSync(join(ASSET_DIR, 'app.css'))],
    ['forms.js', readFileSync(join(ASSET_DIR, 'forms.js'))],
    ['dashboard.js', readFileSync(join(ASSET_DIR, 'dashboard.js'))],
    ['chart.umd.min.js', readFileSync(chartJsPath())],
  ]);
  app.get<{ Params: { name: string } }>(`${BASE}/assets/:name`, async (request, reply) => {
    const body = files.get(request.params.name);
    if (!body) return reply.code(404).type('text/plain').send('Not found');
    const ext = request.params.name.split('.').pop() ?? '';
    return reply
      .type(TYPES[ext] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=3600')
      .send(body);
  });
}

/**
 * The sample company, generated once per data directory and reused: generating 2000 invoices
 * costs more than reading them back. The cache file is keyed by a content hash of what decides
 * the company — seed, size, the generator's code and the modules it reads, the faker version —
 * so a changed generator (or a different build) regenerates instead of serving a stale company.
 * A missing, unreadable or foreign cache file is never an error: the company is generated again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SampleCompany } from '../sim/generator/index.js';
import { installedVersion } from './package-version.js';

const SIM_DIR = join(import.meta.dirname, '..', 'sim');
const DOMAIN_DIR = join(import.meta.dirname, '..', 'domain');

/** Source (or compiled) files whose content decides the generated company. */
function generatorInputs(): string[] {
  const files = (dir: string, pick: (f: string) => boolean) =>
    readdirSync(dir).filter(pick).sort().map((f) => join(dir, f));
  return [
    ...files(join(SIM_DIR, 'generator'), (f) => /\.[jt]s$/.test(f)),
    ...files(SIM_DIR, (f) => /^dataset\.[jt]s$/.test(f)),
    ...files(DOMAIN_DIR, (f) => /^(controls|vocabulary)\.[jt]s$/.test(f)),
  ];
}

/** The content hash a cached company must carry to be reused. */
export function companyKey(seed: number, invoices: number): string {
  const hash = createHash('sha256').update(JSON.stringify({ seed, invoices, faker: installedVersion('@faker-js/faker') }));
  for (const file of generatorInputs()) hash.update(file.slice(file.lastIndexOf('/'))).update(readFileSync(file));
  return hash.digest('hex').slice(0, 32);
}

interface CacheFile {
  key: string;
  company: SampleCompany;
}

/** The sample company for `seed`/`invoices`, from `dataDir/cache` when its key still matches. */
export async function loadSampleCompany(options: { seed: number; invoices: number; dataDir?: string }): Promise<SampleCompany> {
  const { seed, invoices, dataDir } = options;
  // The generator (and faker) load only when a company has to be generated.
  const generate = async () => (await import('../sim/generator/index.js')).generateCompany({ seed, invoices });
  if (!dataDir || dataDir === 'memory://') return generate();
  const key = companyKey(seed, invoices);
  const file = join(dataDir, 'cache', `company-${seed}-${invoices}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (cached.key === key) return cached.company;
  } catch {
    // absent or unreadable: generate below
  }
  const company = await generate();
  try {
    mkdirSync(join(dataDir, 'cache'), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify({ key, company } satisfies CacheFile));
    renameSync(partial, file); // readers never see half a file
  } catch {
    // a read-only data directory only costs the next start a regeneration
  }
  return company;
}

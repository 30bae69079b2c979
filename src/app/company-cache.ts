/**
 * The sample company, generated once and reused: generating 2000 invoices costs more than reading
 * them back. The build prepares the default company (`dist/prepared/`), and each data directory
 * keeps the companies it generated in `cache/`. Every file is keyed by a content hash of what
 * decides the company — seed, size, the generator's code and the modules it reads, the faker
 * version — so a changed generator (or a different build) regenerates instead of serving a stale
 * company. The built package has no generator sources to hash: the build records their hash in
 * `prepared/generator.json`. A missing, unreadable or foreign file is never an error: the company
 * is generated again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SampleCompany } from '../sim/generator/index.js';
import { installedVersion } from './package-version.js';
import { DATA_ROOT, dataPath } from '../paths.js';

const GENERATOR_HASH_FILE = dataPath('prepared', 'generator.json');

/** Source files under `root` whose content decides the generated company. */
function generatorInputs(root: string): string[] {
  const files = (dir: string, pick: (f: string) => boolean) =>
    readdirSync(dir)
      .filter(pick)
      .sort()
      .map((f) => join(dir, f));
  const sim = join(root, 'src', 'sim');
  return [
    ...files(join(sim, 'generator'), (f) => /\.ts$/.test(f)),
    ...files(sim, (f) => f === 'dataset.ts'),
    ...files(join(root, 'src', 'domain'), (f) => /^(controls|vocabulary)\.ts$/.test(f)),
  ];
}

/**
 * A hash of the generator's sources under `root` (default: the checkout this runs from); the
 * built package has no sources and reads the hash the build recorded.
 */
export function generatorHash(root = DATA_ROOT): string {
  if (!existsSync(join(root, 'src', 'sim', 'generator')))
    return (JSON.parse(readFileSync(GENERATOR_HASH_FILE, 'utf8')) as { hash: string }).hash;
  const hash = createHash('sha256');
  for (const file of generatorInputs(root)) hash.update(file.slice(file.lastIndexOf('/'))).update(readFileSync(file));
  return hash.digest('hex');
}

/** The content hash a cached company must carry to be reused. */
export function companyKey(seed: number, invoices: number, generator = generatorHash()): string {
  const inputs = { seed, invoices, faker: installedVersion('@faker-js/faker'), generator };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 32);
}

const fileName = (seed: number, invoices: number): string => `company-${seed}-${invoices}.json`;

function readCompany(file: string, key: string): SampleCompany | undefined {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    return cached.key === key ? cached.company : undefined;
  } catch {
    return undefined; // absent or unreadable
  }
}

function writeCompany(file: string, key: string, company: SampleCompany): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify({ key, company } satisfies CacheFile));
  renameSync(partial, file); // readers never see half a file
}

/**
 * The build's step: the default company into `dir` (`dist/prepared`), with the hash of the
 * generator's sources in `sourceRoot` (the checkout being built).
 */
export async function prepareSampleCompany(
  dir: string,
  sourceRoot: string,
  seed: number,
  invoices: number,
): Promise<void> {
  const { generateCompany } = await import('../sim/generator/index.js');
  const generator = generatorHash(sourceRoot);
  const key = companyKey(seed, invoices, generator);
  writeFileSync(join(dir, 'generator.json'), `${JSON.stringify({ hash: generator })}\n`);
  writeCompany(join(dir, fileName(seed, invoices)), key, generateCompany({ seed, invoices }));
}

interface CacheFile {
  key: string;
  company: SampleCompany;
}

/** The sample company for `seed`/`invoices`, from `dataDir/cache` when its key still matches. */
export async function loadSampleCompany(options: {
  seed: number;
  invoices: number;
  dataDir?: string;
}): Promise<SampleCompany> {
  const { seed, invoices, dataDir } = options;
  // The generator (and faker) load only when a company has to be generated.
  const generate = async () => (await import('../sim/generator/index.js')).generateCompany({ seed, invoices });
  const key = companyKey(seed, invoices);
  const prepared = readCompany(dataPath('prepared', fileName(seed, invoices)), key);
  if (prepared) return prepared;
  if (!dataDir || dataDir === 'memory://') return generate();
  const file = join(dataDir, 'cache', fileName(seed, invoices));
  const cached = readCompany(file, key);
  if (cached) return cached;
  const company = await generate();
  try {
    writeCompany(file, key, company);
  } catch {
    // a read-only data directory only costs the next start a regeneration
  }
  return company;
}

/** What the CLI loads before a command runs: commander and Node only, so --version stays quick. */
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';

const ROOT = join(__dirname, '../../..');

/**
 * The packages reached from the entry through static imports only: what loads for every command,
 * `--version` included. The commands' own modules come in through require() (kind require-call)
 * when they run; yaml, zod and the AWS SDK cost a tenth of a second each to load.
 */
function eagerPackages(meta: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of meta.inputs[file]?.imports ?? []) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external === true) packages.add(imported.path);
      else visit(imported.path);
    }
  };
  visit(entry);
  return [...packages].sort();
}

describe('CLI startup', () => {
  it('loads no package but commander before a command needs it', async () => {
    // The bundle `npm run build` makes, with its metafile and without writing it.
    const result = await build({
      entryPoints: [join(ROOT, 'bin/skewguard.ts')],
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const eager = eagerPackages(result.metafile, 'bin/skewguard.ts');
    expect(eager.filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
  });
});

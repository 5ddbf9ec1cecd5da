/**
 * Cold start of the check function: bundles functions/check/index.ts with the options the CDK
 * construct uses (CHECK_FUNCTION_BUNDLING), then times `require` of the bundle in a fresh node
 * against a bare `node -e 0`, with the NODE_OPTIONS the function runs with.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CHECK_FUNCTION_BUNDLING, checkFunctionNodeOptions } from '../lib/infra/check-function';

/** Size and load time of the check function bundle. */
export interface ColdStart {
  readonly bundleBytes: number;
  readonly mapBytes: number;
  /** Median wall time of `node -e "require(bundle)"`, ms. */
  readonly loadMs: number;
  /** Median wall time of `node -e 0`, ms. */
  readonly bareMs: number;
  /** Bytes in the bundle per package (top entries), from esbuild's metafile. */
  readonly largest: readonly { readonly name: string; readonly bytes: number }[];
}

const RUNS = 11;

/** Builds the bundle into `outDir/check-function` and measures it. */
export async function measureColdStart(root: string, outDir: string): Promise<ColdStart> {
  const dir = join(outDir, 'check-function');
  const file = join(dir, 'index.js');
  const b = CHECK_FUNCTION_BUNDLING;
  const result = await build({
    entryPoints: [join(root, 'functions/check/index.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: b.target,
    format: 'cjs',
    minify: b.minify,
    sourcemap: b.sourceMap,
    sourcesContent: b.sourcesContent,
    external: b.externalModules,
    mainFields: b.mainFields,
    metafile: true,
    logLevel: 'error',
  });
  const perPackage = new Map<string, number>();
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    if (!path.endsWith('.js')) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name =
        /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ??
        input.split('/').slice(0, 2).join('/');
      perPackage.set(name, (perPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  // The bundle resolves @aws-sdk/* (external) from node_modules here, as Lambda does from its runtime.
  // The stack's default 512 MB function.
  const env = { ...process.env, NODE_OPTIONS: checkFunctionNodeOptions(512) };
  const load = median(RUNS, () => wall(['-e', `require(${JSON.stringify(file)})`], env));
  const bare = median(RUNS, () => wall(['-e', '0'], { ...process.env, NODE_OPTIONS: '' }));
  return {
    bundleBytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    loadMs: load,
    bareMs: bare,
    largest: [...perPackage]
      .sort((a, b2) => b2[1] - a[1])
      .slice(0, 8)
      .map(([name, bytes]) => ({ name, bytes })),
  };
}

function wall(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} failed: ${result.stderr.toString().slice(0, 2000)}`);
  }
  return ms;
}

function median(runs: number, sample: () => number): number {
  const values = Array.from({ length: runs }, sample).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? Number.NaN;
}

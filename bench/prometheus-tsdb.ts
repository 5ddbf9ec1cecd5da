/**
 * A real Prometheus over a backfilled TSDB of a synthetic cluster. Backfilling the L cluster
 * (about 1.3 million series) takes promtool a minute or more, so the blocks are cached under
 * bench/out/tsdb, keyed by the generators' source; each run serves a fresh copy, so Prometheus
 * never writes into the cache.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlocks, freePort, prometheusBinaries } from '../test/support/prometheus';
import type { ClusterModel, SizeName } from './synthetic-cluster';
import { METRICS_WINDOW, writeOpenMetrics } from './synthetic-metrics';

const READY_TIMEOUT_MS = 120_000;
const PROMTOOL_TIMEOUT_MS = 15 * 60_000;
const STOP_GRACE_MS = 5_000;

/** A running Prometheus over a copy of the cached blocks. */
export interface BenchPrometheus {
  readonly url: string;
  /** The query time: the last backfilled sample. */
  readonly atMs: number;
  /** Whether the blocks were built in this run (false: taken from the cache). */
  readonly backfilled: boolean;
  readonly backfillMs: number;
  readonly samples: number;
  stop(): Promise<void>;
}

/** Builds (or reuses) the size's blocks and starts Prometheus over a copy of them. */
export async function startBenchPrometheus(
  size: SizeName,
  model: ClusterModel,
  outDir: string,
  log: (line: string) => void,
): Promise<BenchPrometheus> {
  const { prometheus, promtool } = prometheusBinaries();
  if (!prometheus || !promtool) {
    throw new Error(
      'prometheus and promtool are not on PATH; install the Debian/Ubuntu package `prometheus` (sudo bash .ci/install-prometheus.sh), or run with --sources api',
    );
  }
  const cache = join(outDir, 'tsdb', `${size}-${await generatorKey()}`);
  const started = performance.now();
  let backfilled = false;
  if (!existsSync(join(cache, 'complete.json'))) {
    await removeStaleCaches(join(outDir, 'tsdb'), size);
    log(`backfilling the ${size} TSDB with promtool (cached afterwards in ${cache})`);
    await backfill(promtool, model, cache);
    backfilled = true;
  }
  const backfillMs = performance.now() - started;
  const { samples } = JSON.parse(await readFile(join(cache, 'complete.json'), 'utf8')) as {
    samples: number;
  };
  const dir = await mkdtemp(join(tmpdir(), 'skewguard-bench-prom-'));
  await cp(join(cache, 'data'), join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'prometheus.yml'), 'global: {}\nscrape_configs: []\n');
  const port = await freePort();
  const child = spawn(
    prometheus,
    [
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--config.file=${join(dir, 'prometheus.yml')}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, atMs: METRICS_WINDOW.endMs, backfilled, backfillMs, samples, stop };
}

/** A hash of the generators' source: a changed generator rebuilds the cached blocks. */
async function generatorKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['synthetic-cluster.ts', 'synthetic-metrics.ts']) {
    hash.update(await readFile(join(__dirname, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** Blocks of an older generator for the same size: never read again. */
async function removeStaleCaches(dir: string, size: SizeName): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.startsWith(`${size}-`))) {
    await rm(join(dir, entry), { recursive: true, force: true });
  }
}

async function backfill(promtool: string, model: ClusterModel, cache: string): Promise<void> {
  await rm(cache, { recursive: true, force: true });
  await mkdir(cache, { recursive: true });
  const input = join(cache, 'input.om');
  const samples = await writeOpenMetrics(model, input);
  try {
    await createBlocks(promtool, input, join(cache, 'data'), samples, PROMTOOL_TIMEOUT_MS);
  } finally {
    await rm(input, { force: true });
  }
  await writeFile(join(cache, 'complete.json'), JSON.stringify({ samples }));
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Prometheus exited before it was ready: ${log()}`);
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Prometheus was not ready within ${READY_TIMEOUT_MS} ms: ${log()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

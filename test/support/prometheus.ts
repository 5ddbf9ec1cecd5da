/**
 * The real Prometheus server for integration tests: backfills OpenMetrics text with
 * `promtool tsdb create-blocks-from openmetrics`, starts `prometheus` on a loopback port over
 * those blocks (no scrape targets, so the head stays empty) and stops it by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, rmSync, statSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Offset, Scenario, seconds } from './openmetrics';

/** How to start a test Prometheus. */
export interface PrometheusOptions {
  /** OpenMetrics text (with timestamps and `# EOF`) or a scenario to backfill. */
  readonly openmetrics: string | Scenario;
  /**
   * `--storage.tsdb.retention.time`; long, so that old backfilled blocks are not deleted.
   * @default '100y'
   */
  readonly retention?: string;
  /**
   * `--query.lookback-delta`: how long a series stays visible after its last sample.
   * @default '5m'
   */
  readonly lookbackDelta?: string;
  /**
   * How long to wait for `/-/ready`.
   * @default 20000
   */
  readonly readyTimeoutMs?: number;
}

/** A running test Prometheus over backfilled data. */
export interface RunningPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** PID of the server process. */
  readonly pid: number;
  /** Temporary directory holding the input, config and TSDB; removed by `stop()`. */
  readonly dir: string;
  /** Epoch ms of the first and last backfilled sample. */
  readonly window: { readonly start: number; readonly end: number };
  /** Measured durations of the backfill and of the wait for `/-/ready`. */
  readonly timings: { readonly backfillMs: number; readonly readyMs: number };
  /** Epoch ms of a query time: `offset` after the window start, or the last sample by default. */
  time(offset?: Offset): number;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** One series of an instant-query vector result. */
export interface InstantSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

const TERM_GRACE_MS = 5_000;
const KILL_GRACE_MS = 2_000;
const PROMTOOL_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 50;
const PORT_ATTEMPTS = 3;
const STDERR_TAIL_CHARS = 4_000;
const INSTALL_HINT =
  'install the Debian/Ubuntu package `prometheus` (run `sudo bash .ci/install-prometheus.sh`)';

/** Absolute paths of `prometheus` and `promtool` on PATH, or undefined for a missing one. */
export function prometheusBinaries(): { prometheus?: string; promtool?: string } {
  return { prometheus: findOnPath('prometheus'), promtool: findOnPath('promtool') };
}

/** Whether both `prometheus` and `promtool` are installed. */
export function prometheusAvailable(): boolean {
  const { prometheus, promtool } = prometheusBinaries();
  return prometheus !== undefined && promtool !== undefined;
}

/**
 * `describe` for tests that need the real Prometheus. Without the binaries it skips with a
 * visible warning locally, and fails when CI=true so CI cannot pass without running them.
 */
export function describeWithPrometheus(name: string, fn: () => void): void {
  if (prometheusAvailable()) {
    describe(name, fn);
    return;
  }
  const reason = `${missingBinaries().join(' and ')} not found on PATH; ${INSTALL_HINT}`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the real Prometheus server', () => {
        throw new Error(`CI=true but ${reason}`);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${name}": ${reason}`);
  describe.skip(name, fn);
}

/** Backfills the data, starts Prometheus on a free loopback port and waits until it is ready. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const { prometheus, promtool } = prometheusBinaries();
  if (!prometheus || !promtool) {
    throw new Error(
      `cannot start Prometheus: ${missingBinaries().join(' and ')} not found; ${INSTALL_HINT}`,
    );
  }
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), 'skewguard-prometheus-'));
  liveDirs.add(dir);
  try {
    const backfillStarted = Date.now();
    const text =
      options.openmetrics instanceof Scenario
        ? options.openmetrics.toOpenMetrics()
        : options.openmetrics;
    const dataDir = join(dir, 'data');
    const blocks = await backfill(promtool, text, dir, dataDir);
    const backfillMs = Date.now() - backfillStarted;

    const configFile = join(dir, 'prometheus.yml');
    // No scrape targets: the head stays empty and every query is answered from the blocks.
    await writeFile(configFile, 'global: {}\nscrape_configs: []\n');
    const readyStarted = Date.now();
    const server = await launch(
      prometheus,
      [
        `--storage.tsdb.path=${dataDir}`,
        `--config.file=${configFile}`,
        `--storage.tsdb.retention.time=${options.retention ?? '100y'}`,
        `--query.lookback-delta=${options.lookbackDelta ?? '5m'}`,
      ],
      options.readyTimeoutMs ?? 20_000,
    );
    const readyMs = Date.now() - readyStarted;

    const start =
      options.openmetrics instanceof Scenario ? options.openmetrics.startMs : blocks.minMs;
    const end = options.openmetrics instanceof Scenario ? options.openmetrics.endMs : blocks.maxMs;
    const handle = makeHandle(server, dir, { start, end }, { backfillMs, readyMs });
    await assertBlocksLoaded(handle.url, blocks).catch(async (error: unknown) => {
      await handle.stop();
      throw error;
    });
    return handle;
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

/** Runs an instant query with a form-encoded POST; throws unless the result is a vector. */
export async function queryInstant(
  url: string,
  query: string,
  atMs: number,
): Promise<InstantSample[]> {
  const response = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query, time: String(atMs / 1000) }).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: {
      resultType: string;
      result: { metric: Record<string, string>; value: [number, string] }[];
    };
  };
  if (body.status !== 'success' || !body.data) {
    throw new Error(
      `query ${query} failed with HTTP ${response.status}: ${body.error ?? 'no data'}`,
    );
  }
  if (body.data.resultType !== 'vector') {
    throw new Error(`query ${query} returned a ${body.data.resultType}, expected a vector`);
  }
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** The time span of backfilled blocks. */
export interface BlockSpan {
  readonly minMs: number;
  /** Last sample time (block maxTime is exclusive). */
  readonly maxMs: number;
}

async function backfill(
  promtool: string,
  text: string,
  dir: string,
  dataDir: string,
): Promise<BlockSpan> {
  const input = join(dir, 'input.om');
  await writeFile(input, text);
  const expected = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  return createBlocks(promtool, input, dataDir, expected);
}

/**
 * Backfills an OpenMetrics file into TSDB blocks under `dataDir` with promtool, checks that every
 * one of `expectedSamples` was written, and returns the span of the blocks. The bench uses it too.
 */
export async function createBlocks(
  promtool: string,
  input: string,
  dataDir: string,
  expectedSamples: number,
  timeoutMs = PROMTOOL_TIMEOUT_MS,
): Promise<BlockSpan> {
  const result = await run(
    promtool,
    ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, dataDir],
    timeoutMs,
  );
  if (result.code !== 0) {
    throw new Error(
      `promtool could not backfill the OpenMetrics input (exit ${result.code}): ${result.stderr.trim().slice(-2000)}` +
        ` — fix the input (samples need timestamps in seconds, the text must end with "# EOF")`,
    );
  }
  const metas = await readBlockMetas(dataDir);
  if (metas.length === 0)
    throw new Error('promtool created no blocks: the OpenMetrics input has no samples');
  // promtool silently drops out-of-order and duplicate samples; a count mismatch exposes that.
  const written = metas.reduce((sum, meta) => sum + meta.stats.numSamples, 0);
  if (written !== expectedSamples) {
    throw new Error(
      `promtool wrote ${written} of ${expectedSamples} samples: it drops out-of-order or duplicate samples` +
        ' silently; keep each series in time order with one sample per timestamp',
    );
  }
  return {
    minMs: Math.min(...metas.map((m) => m.minTime)),
    maxMs: Math.max(...metas.map((m) => m.maxTime)) - 1,
  };
}

interface BlockMeta {
  readonly minTime: number;
  readonly maxTime: number;
  readonly stats: { readonly numSamples: number };
}

async function readBlockMetas(dataDir: string): Promise<BlockMeta[]> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch(() => []);
  const blockDirs = entries.filter((e) => e.isDirectory());
  return Promise.all(
    blockDirs.map(
      async (e) =>
        JSON.parse(await readFile(join(dataDir, e.name, 'meta.json'), 'utf8')) as BlockMeta,
    ),
  );
}

interface Server {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly exited: () => boolean;
  readonly waitForExit: (timeoutMs: number) => Promise<boolean>;
}

const running = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

/** Starts Prometheus on a free port; retries a port taken between probing and binding. */
async function launch(
  binary: string,
  args: readonly string[],
  readyTimeoutMs: number,
): Promise<Server> {
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await startAndAwaitReady(
        binary,
        [...args, `--web.listen-address=127.0.0.1:${port}`],
        port,
        readyTimeoutMs,
      );
    } catch (error) {
      lastError = error as Error;
      if (!/address already in use/.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('Prometheus did not start');
}

async function startAndAwaitReady(
  binary: string,
  args: readonly string[],
  port: number,
  readyTimeoutMs: number,
): Promise<Server> {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });
  let exit: string | undefined;
  let spawnError: Error | undefined;
  const exitListeners: (() => void)[] = [];
  child.once('error', (error) => {
    spawnError = error;
  });
  child.once('exit', (code, signal) => {
    exit = signal ? `signal ${signal}` : `exit code ${code}`;
    running.delete(child);
    exitListeners.forEach((listener) => listener());
  });
  const server: Server = {
    child,
    pid: child.pid ?? -1,
    url: `http://127.0.0.1:${port}`,
    exited: () => exit !== undefined || spawnError !== undefined,
    waitForExit: (timeoutMs) =>
      new Promise((resolve) => {
        if (server.exited()) return resolve(true);
        const timer = setTimeout(() => resolve(false), timeoutMs);
        exitListeners.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      }),
  };
  if (child.pid === undefined) {
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error(`could not run ${binary}: ${spawnError?.message ?? 'no PID'}`);
  }
  running.add(child);

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (server.exited()) {
      throw new Error(
        `Prometheus exited before it was ready (${exit ?? spawnError?.message}): ${lastLines(stderrTail)}`,
      );
    }
    if (await isReady(server.url)) return server;
    await sleep(POLL_INTERVAL_MS);
  }
  await stopServer(server);
  throw new Error(
    `Prometheus was not ready within ${readyTimeoutMs} ms on ${server.url}; its log ends: ${lastLines(stderrTail)}`,
  );
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false; // not listening yet
  }
}

/**
 * Fails unless Prometheus sees series at the first and the last backfilled sample time: the
 * head is empty, so this proves the blocks were loaded and retention deleted none of them.
 */
async function assertBlocksLoaded(url: string, blocks: BlockSpan): Promise<void> {
  for (const [label, at] of [
    ['first', blocks.minMs],
    ['last', blocks.maxMs],
  ] as const) {
    const [count] = await queryInstant(url, 'count({__name__=~".+"})', at);
    if ((count?.value ?? 0) === 0) {
      throw new Error(
        `Prometheus is ready but returns no series at the ${label} backfilled sample (${iso(at)}); ` +
          'raise the retention: --storage.tsdb.retention.time counts back from the newest block',
      );
    }
  }
}

function makeHandle(
  server: Server,
  dir: string,
  window: { start: number; end: number },
  timings: { backfillMs: number; readyMs: number },
): RunningPrometheus {
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    pid: server.pid,
    dir,
    window,
    timings,
    time(offset?: Offset): number {
      if (offset === undefined) return window.end;
      const at = window.start + seconds(offset) * 1000;
      if (at < window.start || at > window.end) {
        throw new Error(
          `time(${offset}) is outside the backfilled window ${iso(window.start)} .. ${iso(window.end)}`,
        );
      }
      return at;
    },
    stop(): Promise<void> {
      stopping ??= stopServer(server).finally(() => removeDir(dir));
      return stopping;
    },
  };
}

async function stopServer(server: Server): Promise<void> {
  if (server.exited()) return;
  server.child.kill('SIGTERM');
  if (await server.waitForExit(TERM_GRACE_MS)) return;
  server.child.kill('SIGKILL');
  if (!(await server.waitForExit(KILL_GRACE_MS))) {
    throw new Error(`Prometheus (PID ${server.pid}) survived SIGKILL for ${KILL_GRACE_MS} ms`);
  }
}

// A test that throws before stop() must not leave a server behind when Jest exits.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

async function run(
  binary: string,
  args: readonly string[],
  timeoutMs = PROMTOOL_TIMEOUT_MS,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) =>
      resolve({ code: -1, stdout, stderr: `${stderr}${error.message}` }),
    );
    child.once('close', (code, signal) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr: signal
          ? `${stderr}killed by ${signal} after ${timeoutMs} ms; promtool rereads the whole` +
            ' input once per 2h block, so shorten the window or raise the step'
          : stderr,
      }),
    );
  });
}

/** A free TCP port on 127.0.0.1 (the bench's Prometheus uses it too). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free loopback port'))));
    });
  });
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

function missingBinaries(): string[] {
  const found = prometheusBinaries();
  return (['prometheus', 'promtool'] as const).filter((name) => found[name] === undefined);
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ') || '(no output)';
}

async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

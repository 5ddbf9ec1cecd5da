/**
 * `npm run bench [-- --sizes S,M,L] [--sources api,prometheus] [--runs 3] [--verify]`: the whole
 * check against synthetic clusters, next to what a user would otherwise run, with the budgets
 * of issue 8. Prints one table per source and the ratios; writes bench/out/results.json.
 * Timing is compared here only, never in `npm test`.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DEFAULT_CONCURRENCY } from '../lib/collect/kubernetes';
import { heapFlags } from '../lib/infra/check-function';
import type { CheckRequest, CheckRun } from './check-once';
import type { ColdStart } from './cold-start';
import { measureColdStart } from './cold-start';
import type { FloorChain, FloorRequest, FloorRun } from './floor';
import { startBenchPrometheus } from './prometheus-tsdb';
import type { ServeCommand, ServeReply, ServedRequest } from './serve';
import type { SizeName } from './synthetic-cluster';
import { clusterModel, modelCounts, SIZES } from './synthetic-cluster';

const ROOT = join(__dirname, '..');
const OUT = join(__dirname, 'out');
const KUBECTL = '/usr/bin/kubectl';
const GNU_TIME = '/usr/bin/time';

/** Budgets of issue 8 (on the L cluster). */
export const BUDGETS = {
  apiVsKubectl: 1.0,
  apiVsFloor: 1.5,
  peakRssBytes: 512 * 1024 * 1024,
  prometheusLvsS: 1.5,
  bundleBytes: 1.5 * 1024 * 1024,
  coldLoadVsBare: 3,
} as const;

/** Lambda arm64 prices used for the cost line (us-east-1, per GB-second and per request). */
const LAMBDA_GB_SECOND = 0.0000133334;
const LAMBDA_REQUEST = 0.2 / 1_000_000;
/** The stack's default function memory (lib/infra/skewguard.ts), which holds the measured peak RSS. */
const FUNCTION_MB = 512;
/** The check runs with the function's heap cap, so its peak RSS is what the function would see. */
const CHECK_NODE_ARGS = heapFlags(FUNCTION_MB);

/** rate(5 minutes) over a 730-hour month. */
const RUNS_PER_MONTH = (730 * 60) / 5;
/** Lambda gives one full vCPU at 1,769 MB; one core of this machine is the comparison. */
const ONE_VCPU_MB = 1769;

interface Options {
  readonly sizes: readonly SizeName[];
  readonly sources: readonly ('api' | 'prometheus')[];
  readonly runs: number;
  readonly verify: boolean;
  /** Also time each query of the Prometheus collector on its own. */
}

/** One measured process: its wall time and the server's view of its traffic. */
interface Measured<T> {
  readonly result: T;
  readonly processMs: number;
  readonly served: { readonly requests: number; readonly bytes: number };
}

interface ApiResult {
  readonly size: SizeName;
  readonly counts: Record<string, number>;
  readonly serverStartMs: number;
  readonly check: Measured<CheckRun>;
  readonly floor: Measured<FloorRun>;
  readonly kubectl?: Measured<{ maxRssBytes?: number }>;
  readonly verified?: boolean;
}

interface PrometheusResult {
  readonly size: SizeName;
  readonly samples: number;
  readonly backfillMs: number;
  readonly backfilled: boolean;
  readonly check: Measured<CheckRun>;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0
      ? argv[i + 1]
      : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const sizes = (value('--sizes') ?? 'S,M,L').split(',').map((s) => s.trim().toUpperCase());
  const unknown = sizes.filter((s) => !(s in SIZES));
  if (unknown.length > 0 || sizes.length === 0) {
    throw new Error(
      `--sizes ${unknown.join(',')}: unknown size; use a list of ${Object.keys(SIZES).join(', ')}`,
    );
  }
  const sources = (value('--sources') ?? 'api,prometheus').split(',').map((s) => s.trim());
  if (sources.some((s) => s !== 'api' && s !== 'prometheus')) {
    throw new Error(`--sources ${sources.join(',')}: use api, prometheus or both`);
  }
  const runs = Number(value('--runs') ?? 3);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error('--runs takes 1 to 20');
  return {
    sizes: sizes as SizeName[],
    sources: sources as ('api' | 'prometheus')[],
    runs,
    verify: argv.includes('--verify'),
  };
}

const log = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};

/** Bundles the bench's own runners, so they run on plain node (no tsx loader in their RSS). */
async function buildRunners(): Promise<{ check: string; floor: string }> {
  const dir = join(OUT, 'runners');
  await build({
    entryPoints: {
      'check-once': join(__dirname, 'check-once.ts'),
      floor: join(__dirname, 'floor.ts'),
    },
    outdir: dir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    logLevel: 'error',
  });
  return { check: join(dir, 'check-once.js'), floor: join(dir, 'floor.js') };
}

/** Runs a process to its end; resolves with stdout, wall time and exit code. */
function runProcess(
  command: string,
  args: readonly string[],
  options: { captureStdout: boolean; env?: NodeJS.ProcessEnv },
): Promise<{ stdout: string; stderr: string; code: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      stdio: ['ignore', options.captureStdout ? 'pipe' : 'ignore', 'pipe'],
      env: options.env ?? process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr
      ?.setEncoding('utf8')
      .on('data', (c: string) => (stderr = (stderr + c).slice(-8000)));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ stdout, stderr, code: code ?? -1, ms: performance.now() - started }),
    );
  });
}

async function runJson<T>(
  script: string,
  input: unknown,
  nodeArgs: readonly string[] = [],
): Promise<{ result: T; ms: number }> {
  const out = await runProcess(process.execPath, [...nodeArgs, script, JSON.stringify(input)], {
    captureStdout: true,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (out.code !== 0) throw new Error(`${script} failed (exit ${out.code}): ${out.stderr}`);
  return { result: JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as T, ms: out.ms };
}

/** The test API server in a child process, spoken to over IPC. */
class ServeChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Extract<ServeReply, { type: 'ready' }>,
  ) {}

  static async start(size: SizeName): Promise<ServeChild> {
    const child = spawn(
      process.execPath,
      [
        '--max-old-space-size=8192',
        '--expose-gc',
        '--import',
        'tsx',
        join(__dirname, 'serve.ts'),
        size,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    const ready = await new Promise<Extract<ServeReply, { type: 'ready' }>>((resolve, reject) => {
      child.once('message', (m: ServeReply) =>
        m.type === 'ready'
          ? resolve(m)
          : reject(new Error(`bench/serve.ts answered ${m.type} before ready`)),
      );
      child.once('exit', (code) =>
        reject(new Error(`bench/serve.ts exited (${code}) before it was ready`)),
      );
    });
    return new ServeChild(child, ready);
  }

  private ask<T extends ServeReply['type']>(
    command: ServeCommand,
    expect: T,
  ): Promise<Extract<ServeReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`bench/serve.ts did not answer ${command.type}`)),
        30_000,
      );
      this.child.once('message', (m: ServeReply) => {
        clearTimeout(timer);
        if (m.type === expect) resolve(m as Extract<ServeReply, { type: T }>);
        else reject(new Error(`bench/serve.ts answered ${m.type} to ${command.type}`));
      });
      this.child.send(command);
    });
  }

  /** Zeroes the request log and byte counter. */
  async mark(): Promise<void> {
    await this.ask({ type: 'mark' }, 'marked');
  }

  /** Requests and bytes since the last mark. */
  async report(): Promise<{ requests: readonly ServedRequest[]; bytes: number }> {
    return this.ask({ type: 'report' }, 'report');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' } satisfies ServeCommand);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * A run this slow is measured once: the budget it is compared with is far off either way, and
 * three such runs would stretch the bench past a few minutes.
 */
const SLOW_RUN_MS = 15_000;

/** Runs `measure` `runs` times with the server's counters around each; keeps the median run. */
async function medianOf<T>(
  runs: number,
  serve: ServeChild | undefined,
  measure: () => Promise<{ result: T; ms: number }>,
  keyOf: (m: Measured<T>) => number,
): Promise<Measured<T> & { report?: readonly ServedRequest[] }> {
  const all: (Measured<T> & { report?: readonly ServedRequest[] })[] = [];
  for (let i = 0; i < runs; i++) {
    await serve?.mark();
    const { result, ms } = await measure();
    const report = await serve?.report();
    all.push({
      result,
      processMs: ms,
      served: { requests: report?.requests.length ?? 0, bytes: report?.bytes ?? 0 },
      ...(report ? { report: report.requests } : {}),
    });
    if (ms > SLOW_RUN_MS) break;
  }
  all.sort((a, b) => keyOf(a) - keyOf(b));
  const median = all[Math.floor(all.length / 2)];
  if (!median) throw new Error('no runs');
  return median;
}

function withoutReport<T>(m: Measured<T>): Measured<T> {
  return { result: m.result, processMs: m.processMs, served: m.served };
}

async function benchApi(
  size: SizeName,
  runners: { check: string; floor: string },
  options: Options,
): Promise<ApiResult> {
  const counts = modelCounts(clusterModel(SIZES[size]));
  log(`${size}: starting the test API server with ${JSON.stringify(counts)}`);
  const serve = await ServeChild.start(size);
  try {
    const { kubeconfig, url, caPem, token } = serve.ready;
    const checkInput: CheckRequest = { source: 'kubernetes', kubeconfig };
    log(`${size}: API server ready in ${(serve.ready.startMs / 1000).toFixed(1)} s; warming up`);
    await runJson<CheckRun>(runners.check, checkInput, CHECK_NODE_ARGS);
    const check = await medianOf(
      options.runs,
      serve,
      () => runJson<CheckRun>(runners.check, checkInput, CHECK_NODE_ARGS),
      (m) => m.processMs,
    );
    // The floor replays the lists and reads skewguard started, following their continue tokens.
    const chains: FloorChain[] = (check.report ?? [])
      .filter((r) => r.query['continue'] === undefined)
      .map((r) => ({ path: r.path, query: r.query }));
    const floorInput: FloorRequest = {
      server: url,
      caPem,
      token,
      chains,
      concurrency: DEFAULT_CONCURRENCY,
    };
    const floor = await medianOf(
      options.runs,
      serve,
      () => runJson<FloorRun>(runners.floor, floorInput),
      (m) => m.result.ms,
    );
    let kubectl: Measured<{ maxRssBytes?: number }> | undefined;
    if (existsSync(KUBECTL)) {
      const cacheDir = mkdtempSync(join(tmpdir(), 'skewguard-bench-kubectl-'));
      const rssFile = join(cacheDir, 'rss');
      const timed = existsSync(GNU_TIME);
      const args = [
        `--kubeconfig=${kubeconfig}`,
        `--cache-dir=${cacheDir}`,
        'get',
        'nodes,deployments,statefulsets,daemonsets',
        '-A',
        '-o',
        'json',
      ];
      const once = async (): Promise<{ result: { maxRssBytes?: number }; ms: number }> => {
        const out = timed
          ? await runProcess(GNU_TIME, ['-f', '%M', '-o', rssFile, KUBECTL, ...args], {
              captureStdout: false,
            })
          : await runProcess(KUBECTL, args, { captureStdout: false });
        if (out.code !== 0) throw new Error(`kubectl failed (exit ${out.code}): ${out.stderr}`);
        const kb = timed ? Number(readFileSync(rssFile, 'utf8').trim()) : Number.NaN;
        return { result: Number.isFinite(kb) ? { maxRssBytes: kb * 1024 } : {}, ms: out.ms };
      };
      // Fills kubectl's discovery cache, as a user's repeated runs have it.
      const warm = await runProcess(
        KUBECTL,
        [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, 'api-resources'],
        { captureStdout: false },
      );
      if (warm.code !== 0) throw new Error(`kubectl api-resources failed: ${warm.stderr}`);
      kubectl = await medianOf(options.runs, serve, once, (m) => m.processMs);
      rmSync(cacheDir, { recursive: true, force: true });
    } else {
      log(`${KUBECTL} not found: the kubectl ratio is skipped`);
    }
    let verified: boolean | undefined;
    if (options.verify || size !== 'L') {
      const { result } = await runJson<CheckRun>(runners.check, {
        ...checkInput,
        verify: { size },
      } satisfies CheckRequest);
      const problems = result.verifyProblems ?? ['verify did not run'];
      if (problems.length > 0) {
        throw new Error(
          `${size}: the live findings differ from the replay or the full objects:\n${problems.slice(0, 10).join('\n')}`,
        );
      }
      verified = true;
    }
    return {
      size,
      counts,
      serverStartMs: serve.ready.startMs,
      check: withoutReport(check),
      floor: withoutReport(floor),
      ...(kubectl ? { kubectl } : {}),
      ...(verified !== undefined ? { verified } : {}),
    };
  } finally {
    await serve.stop();
  }
}

async function benchPrometheus(
  size: SizeName,
  check: string,
  options: Options,
): Promise<PrometheusResult> {
  const prom = await startBenchPrometheus(size, clusterModel(SIZES[size]), OUT, log);
  try {
    log(
      `${size}: Prometheus ready (${prom.samples} samples${prom.backfilled ? `, backfilled in ${(prom.backfillMs / 1000).toFixed(0)} s` : ', cached'})`,
    );
    const input: CheckRequest = { source: 'prometheus', url: prom.url, atMs: prom.atMs };
    const first = await runJson<CheckRun>(check, input, CHECK_NODE_ARGS);
    const measured =
      first.ms > SLOW_RUN_MS
        ? { ...first, processMs: first.ms, served: { requests: 0, bytes: 0 } }
        : await medianOf(
            options.runs,
            undefined,
            () => runJson<CheckRun>(check, input, CHECK_NODE_ARGS),
            (m) => m.result.checkMs,
          );
    return {
      size,
      samples: prom.samples,
      backfillMs: prom.backfillMs,
      backfilled: prom.backfilled,
      check: { result: measured.result, processMs: measured.processMs, served: measured.served },
    };
  } finally {
    await prom.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const x = (ratio: number): string => `${ratio.toFixed(2)}x`;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function budget(name: string, value: number, limit: number, show: (v: number) => string): string {
  const verdict =
    value <= limit
      ? 'met'
      : `MISSED by ${show(value - limit)} (${((value / limit - 1) * 100).toFixed(0)}% over)`;
  return `  ${name}: ${show(value)} (budget ${show(limit)}) ${verdict}`;
}

/**
 * Monthly Lambda cost of one cluster at rate(5 minutes) at FUNCTION_MB. Lambda gives a 512 MB
 * function 512/1769 of a vCPU, so the measured CPU time stretches by 1769/512; time spent
 * waiting for the server does not.
 */
function monthlyCost(run: CheckRun): { dollars: number; line: string } {
  const cpuMs = Math.min(run.cpuMs, run.checkMs);
  const waitMs = run.checkMs - cpuMs;
  const lambdaSeconds = ((cpuMs * ONE_VCPU_MB) / FUNCTION_MB + waitMs) / 1000;
  const gbSeconds = lambdaSeconds * (FUNCTION_MB / 1024) * RUNS_PER_MONTH;
  const dollars = gbSeconds * LAMBDA_GB_SECOND + RUNS_PER_MONTH * LAMBDA_REQUEST;
  const line =
    `(${(cpuMs / 1000).toFixed(2)} s CPU x ${ONE_VCPU_MB}/${FUNCTION_MB} + ${(waitMs / 1000).toFixed(2)} s waiting) = ${lambdaSeconds.toFixed(1)} s per run;` +
    ` ${RUNS_PER_MONTH} runs x ${lambdaSeconds.toFixed(1)} s x ${FUNCTION_MB / 1024} GB = ${gbSeconds.toFixed(0)} GB-s x $${LAMBDA_GB_SECOND}` +
    ` + ${RUNS_PER_MONTH} x $0.20/M = $${dollars.toFixed(2)}/month`;
  return { dollars, line };
}

function print(
  api: readonly ApiResult[],
  prom: readonly PrometheusResult[],
  cold: ColdStart | undefined,
): string[] {
  const lines: string[] = [];
  const out = (line = ''): void => {
    lines.push(line);
  };
  if (api.length > 0) {
    out(
      `API source (test Kubernetes API server in a child process; medians; the check runs with the function's heap sizes, ${CHECK_NODE_ARGS.join(' ')})`,
    );
    out(
      table([
        ['size', 'what', 'wall', 'in-process', 'peak RSS', 'peak heap', 'requests', 'read'],
        ...api.flatMap((a) => [
          [
            a.size,
            'skewguard check',
            s(a.check.processMs),
            s(a.check.result.checkMs),
            mb(a.check.result.maxRssBytes),
            mb(a.check.result.peakHeapBytes),
            String(a.check.served.requests),
            mb(a.check.served.bytes),
          ],
          [
            a.size,
            'floor (https + JSON.parse)',
            s(a.floor.processMs),
            s(a.floor.result.ms),
            mb(a.floor.result.maxRssBytes),
            '',
            String(a.floor.served.requests),
            mb(a.floor.served.bytes),
          ],
          ...(a.kubectl
            ? [
                [
                  a.size,
                  'kubectl get nodes,deploy,sts,ds -A -o json',
                  s(a.kubectl.processMs),
                  '',
                  a.kubectl.result.maxRssBytes ? mb(a.kubectl.result.maxRssBytes) : '?',
                  '',
                  String(a.kubectl.served.requests),
                  mb(a.kubectl.served.bytes),
                ],
              ]
            : []),
        ]),
      ]),
    );
    out();
    out(
      table([
        [
          'size',
          'check / kubectl (wall)',
          'check / floor (in-process)',
          'findings',
          'skipped rules',
          'verified',
        ],
        ...api.map((a) => [
          a.size,
          a.kubectl ? x(a.check.processMs / a.kubectl.processMs) : 'skipped: no kubectl',
          x(a.check.result.checkMs / a.floor.result.ms),
          String(a.check.result.findings),
          String(a.check.result.skippedRules),
          a.verified ? 'yes' : 'not run (--verify)',
        ]),
      ]),
    );
    out();
  }
  if (prom.length > 0) {
    out('Prometheus source (real Prometheus over a backfilled TSDB; medians)');
    out(
      table([
        [
          'size',
          'samples',
          'wall',
          'in-process',
          'peak RSS',
          'requests',
          'read',
          'findings',
          'not collected',
        ],
        ...prom.map((p) => [
          p.size,
          String(p.samples),
          s(p.check.processMs),
          s(p.check.result.checkMs),
          mb(p.check.result.maxRssBytes),
          String(p.check.result.requests),
          mb(p.check.result.bytes),
          String(p.check.result.findings),
          p.check.result.missingParts.length > 0
            ? `${p.check.result.missingParts.join(', ')} (${p.check.result.skippedRules} rules skipped)`
            : 'nothing missing',
        ]),
      ]),
    );
    for (const p of prom) {
      out(
        `  ${p.size} queries (ms, series): ${(p.check.result.queries ?? []).map((q) => `${q.id} ${q.ms.toFixed(0)} (${q.series})`).join(', ')}`,
      );
    }
    const small = prom.find((p) => p.size === 'S');
    const large = prom.find((p) => p.size === 'L');
    if (small && large) {
      out(
        `  L / S: time ${x(large.check.result.checkMs / small.check.result.checkMs)}, requests ${x(large.check.result.requests / small.check.result.requests)}, bytes ${x(large.check.result.bytes / small.check.result.bytes)}`,
      );
    }
    out();
  }
  if (cold) {
    out('Cold start (functions/check bundled as lib/infra/check-function.ts bundles it)');
    out(
      `  bundle ${(cold.bundleBytes / 1024).toFixed(0)} KiB minified (+ ${(cold.mapBytes / 1024).toFixed(0)} KiB source map); largest: ${cold.largest.map((l) => `${l.name} ${(l.bytes / 1024).toFixed(0)} KiB`).join(', ')}`,
    );
    out(
      `  require(bundle) ${cold.loadMs.toFixed(0)} ms vs node -e 0 ${cold.bareMs.toFixed(0)} ms = ${x(cold.loadMs / cold.bareMs)}`,
    );
    out();
  }
  out('Budgets (issue 8, on L)');
  const largeApi = api.find((a) => a.size === 'L');
  if (largeApi) {
    if (largeApi.kubectl)
      out(
        budget(
          'check / kubectl',
          largeApi.check.processMs / largeApi.kubectl.processMs,
          BUDGETS.apiVsKubectl,
          x,
        ),
      );
    out(
      budget(
        'check / floor',
        largeApi.check.result.checkMs / largeApi.floor.result.ms,
        BUDGETS.apiVsFloor,
        x,
      ),
    );
    out(budget('peak RSS', largeApi.check.result.maxRssBytes, BUDGETS.peakRssBytes, mb));
  } else {
    out('  API budgets: L not run (--sizes)');
  }
  const small = prom.find((p) => p.size === 'S');
  const large = prom.find((p) => p.size === 'L');
  if (small && large) {
    out(
      budget(
        'Prometheus L / S time',
        large.check.result.checkMs / small.check.result.checkMs,
        BUDGETS.prometheusLvsS,
        x,
      ),
    );
    out(
      budget(
        'Prometheus L / S requests',
        large.check.result.requests / small.check.result.requests,
        BUDGETS.prometheusLvsS,
        x,
      ),
    );
  } else {
    out('  Prometheus budget: needs both S and L');
  }
  if (cold) {
    out(
      budget(
        'bundle',
        cold.bundleBytes,
        BUDGETS.bundleBytes,
        (v) => `${(v / 1024 / 1024).toFixed(2)} MB`,
      ),
    );
    out(budget('cold load / bare node', cold.loadMs / cold.bareMs, BUDGETS.coldLoadVsBare, x));
  }
  out();
  out(
    `Monthly Lambda cost per cluster at rate(5 minutes), arm64 at ${FUNCTION_MB} MB, from the measured check`,
  );
  for (const a of api) out(`  ${a.size} API: ${monthlyCost(a.check.result).line}`);
  for (const p of prom) out(`  ${p.size} Prometheus: ${monthlyCost(p.check.result).line}`);
  return lines;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
  };
  log(
    `${JSON.stringify(machine)}; sizes ${options.sizes.join(',')}, sources ${options.sources.join(',')}, ${options.runs} run(s) each`,
  );
  const runners = await buildRunners();
  const api: ApiResult[] = [];
  const prom: PrometheusResult[] = [];
  for (const size of options.sizes) {
    if (options.sources.includes('api')) api.push(await benchApi(size, runners, options));
    if (options.sources.includes('prometheus'))
      prom.push(await benchPrometheus(size, runners.check, options));
  }
  log('measuring the check function bundle');
  const cold = await measureColdStart(ROOT, OUT);
  const lines = print(api, prom, cold);
  process.stdout.write(
    `\nskewguard bench: nproc ${machine.nproc}, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.cpu}\n\n${lines.join('\n')}\n`,
  );
  writeFileSync(
    join(OUT, 'results.json'),
    `${JSON.stringify({ machine, options, api, prometheus: prom, cold }, null, 2)}\n`,
  );
  log(`results written to ${join(OUT, 'results.json')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

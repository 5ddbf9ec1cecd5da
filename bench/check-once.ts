/**
 * One full skewguard check in its own process, as `skewguard check` or the Lambda runs it:
 * collect, evaluate, reconcile with an in-memory ledger, render the digest. bench/run.ts bundles
 * this file with esbuild and runs it with plain node, so peak RSS is the check's alone. Prints
 * one JSON line (CheckRun) on stdout.
 *
 * With `verify`, it also proves the collector's slim raw objects lose nothing a rule reads:
 * the findings of the live read, of its --save-snapshot replay through the files collector,
 * and of the cluster's full objects read as kubectl output must be identical.
 */
import { runCheck } from '../lib/check';
import type { SourceCollector } from '../lib/collect/source-collector';
import { snapshotFromDocuments, savedDocuments } from '../lib/collect/files';
import { connectKubeconfigFile, collectFromKubernetes } from '../lib/collect/kubernetes';
import { collectFromPrometheus } from '../lib/collect/prometheus';
import { forWindowsOf, DEFAULT_POLICY, evaluate } from '../lib/rules';
import type { KubeObjects } from '../lib/collect/kube-objects';
import { Ledger, MemoryLedgerStore } from '../lib/ledger';
import { ConsoleNotifier } from '../lib/notify/console';
import type { Finding } from '../lib/rules';
import { kubeObjects } from './synthetic-objects';
import type { SizeName } from './synthetic-cluster';
import { clusterModel, SIZES } from './synthetic-cluster';

/** What bench/run.ts asks for (argv[2], JSON). */
export type CheckRequest =
  | {
      readonly source: 'kubernetes';
      readonly kubeconfig: string;
      readonly verify?: { readonly size: SizeName };
    }
  | { readonly source: 'prometheus'; readonly url: string; readonly atMs: number };

/** What one run measured (stdout, JSON). */
export interface CheckRun {
  /** From the first request to the rendered digest. */
  readonly checkMs: number;
  /** CPU time (user + system, all threads) over the same span. */
  readonly cpuMs: number;
  readonly requests: number;
  readonly bytes: number;
  /** Prometheus only: each query's wall time and series, in the order sent. */
  readonly queries?: readonly {
    readonly id: string;
    readonly ms: number;
    readonly series: number;
  }[];
  /** Peak resident set size of this process, bytes. */
  readonly maxRssBytes: number;
  /** Largest V8 heap in use seen while checking (sampled every 10 ms), bytes. */
  readonly peakHeapBytes: number;
  readonly findings: number;
  readonly firing: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly sources: readonly string[];
  /** Rules skipped for lack of data, and the snapshot parts that were not collected. */
  readonly skippedRules: number;
  readonly missingParts: readonly string[];
  /** Set with `verify`: differences between live, replayed and full-object findings (empty = none). */
  readonly verifyProblems?: readonly string[];
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as CheckRequest;
  const now = request.source === 'prometheus' ? request.atMs : Date.parse('2026-11-21T12:00:00Z');
  const collectedAt = (): string => new Date(now).toISOString();
  let stats = { requests: 0, bytes: 0 };
  let queries: CheckRun['queries'];
  let objects: KubeObjects | undefined;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let peakHeapBytes = 0;
  const sampleHeap = (): void => {
    peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
  };
  const sampler = setInterval(sampleHeap, 10);
  const collector: SourceCollector =
    request.source === 'kubernetes'
      ? {
          source: 'kubernetes',
          collect: async () => {
            const target = await connectKubeconfigFile({ file: request.kubeconfig });
            try {
              const collection = await collectFromKubernetes({
                cluster: 'bench',
                target,
                collectedAt,
              });
              stats = collection.stats;
              objects = collection.objects;
              return collection.snapshot;
            } finally {
              target.agent.destroy();
            }
          },
        }
      : {
          source: 'prometheus',
          collect: async () => {
            const collection = await collectFromPrometheus({
              cluster: 'bench',
              url: request.url,
              auth: { type: 'none' },
              collectedAt,
              forWindows: forWindowsOf(DEFAULT_POLICY),
              at: request.atMs,
            });
            stats = collection.stats;
            queries = collection.queries;
            return collection.snapshot;
          },
        };
  let digest = '';
  const result = await runCheck(
    'bench',
    {
      collectors: [collector],
      ledger: new Ledger(new MemoryLedgerStore()),
      notifier: new ConsoleNotifier((text) => {
        digest = text;
      }),
      policy: DEFAULT_POLICY,
    },
    now,
  );
  const checkMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  clearInterval(sampler);
  sampleHeap();
  const failed = result.summary.sources.filter((s) => s.status === 'failed');
  if (failed.length > 0) {
    throw new Error(
      `the check's ${failed.map((s) => `${s.source} source failed: ${s.reason ?? ''}`).join('; ')}`,
    );
  }
  const { snapshot } = result;
  const run: CheckRun = {
    checkMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    requests: stats.requests,
    bytes: stats.bytes,
    ...(queries ? { queries } : {}),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapBytes,
    findings: result.evaluation.findings.length,
    firing: result.summary.firing,
    counts: {
      nodes: snapshot.nodes.length,
      workloads: snapshot.workloads.length,
      replicaSets: snapshot.replicaSets.length,
      pods: snapshot.pods.length,
      digestChars: digest.length,
    },
    sources: result.summary.sources.map((s) => `${s.source}:${s.status}`),
    skippedRules: result.evaluation.coverage.filter((c) => c.status === 'skipped').length,
    missingParts: Object.entries(snapshot.parts)
      .filter(([, part]) => part.state === 'missing')
      .map(([name]) => name),
    ...(request.source === 'kubernetes' && request.verify && objects
      ? { verifyProblems: verify(result.evaluation.findings, objects, request.verify.size, now) }
      : {}),
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

/** Differences between the live findings and those of the replay and of the full objects. */
function verify(
  live: readonly Finding[],
  objects: KubeObjects,
  size: SizeName,
  now: number,
): string[] {
  const collectedAt = new Date(now).toISOString();
  // Through JSON text, as --save-snapshot writes it and --from-file reads it back.
  const saved = JSON.parse(JSON.stringify(savedDocuments(objects))) as unknown[];
  const replay = evaluate(
    snapshotFromDocuments(saved, { cluster: 'bench', collectedAt }),
    DEFAULT_POLICY,
    now,
  ).findings;
  const full = evaluate(
    snapshotFromDocuments(
      [
        { serverVersion: objects.version },
        { kind: 'List', items: inServerOrder(kubeObjects(clusterModel(SIZES[size]))) },
      ],
      { cluster: 'bench', collectedAt },
    ),
    DEFAULT_POLICY,
    now,
  ).findings;
  return [
    ...compare('replayed --save-snapshot', live, replay),
    ...compare('full objects', live, full),
  ];
}

/** Objects sorted as the API server lists them (namespace/name), so first-of picks agree. */
function inServerOrder(objects: unknown[]): unknown[] {
  const key = (o: unknown): string => {
    const m = (o as { metadata?: { namespace?: string; name?: string } }).metadata;
    return m?.namespace === undefined ? (m?.name ?? '') : `${m.namespace}/${m.name ?? ''}`;
  };
  return objects
    .map((o) => [key(o), o] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, o]) => o);
}

function compare(what: string, live: readonly Finding[], other: readonly Finding[]): string[] {
  const key = (f: Finding): string =>
    JSON.stringify([f.ruleId, f.severity, f.subject, f.summary, f.details, f.since ?? null]);
  const a = new Set(live.map(key));
  const b = new Set(other.map(key));
  const problems = [
    ...[...a].filter((k) => !b.has(k)).map((k) => `only live, not ${what}: ${k}`),
    ...[...b].filter((k) => !a.has(k)).map((k) => `only ${what}, not live: ${k}`),
  ];
  if (live.length === 0)
    problems.push(`the live check found nothing; the synthetic cluster should fire`);
  return problems;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/check-once: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

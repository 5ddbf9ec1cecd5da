/** `skewguard check`: runCheck on the flags' sources with an in-memory ledger, as a report. */
import type { CheckResult } from '../check';
import { runCheck } from '../check';
import type { SourceCollector } from '../collect/source-collector';
import { SourceError } from '../collect/errors';
import type { SnapshotInfo } from '../collect/files';
import type { LocalKubectl } from '../collect/kubectl';
import { readLocalKubectl, withKubectl } from '../collect/kubectl';
import { collectFromFiles, defaultClusterName, saveSnapshot } from '../collect/files';
import type * as KubernetesModuleNs from '../collect/kubernetes';
import type * as PrometheusModuleNs from '../collect/prometheus';
import type { DesiredManifests, KubeObjects } from '../collect/kube-objects';
import { readManifests } from '../collect/manifests';
import type { DriftConfig } from '../config';
import { isUrlOf, loadConfig, policyFor } from '../config';
// The two modules, not the index: that also exports the DynamoDB store and its AWS SDK client.
import { Ledger } from '../ledger/ledger';
import { MemoryLedgerStore } from '../ledger/memory';
import type { Notifier } from '../notify/publisher';
import { deliveryResult } from '../notify/publisher';
import type { CheckReport } from './report';
import { renderJson, renderMarkdown, toReport } from './report';
import { renderTerminalReport } from './terminal-report';
import type { TerminalInfo } from './terminal';
import { terminalStyle } from './terminal';
import { actionablySkipped, notCheckedGroups } from './not-checked';
import type { Policy, Severity } from '../rules';
import { DEFAULT_POLICY, forWindowsOf, severityRank } from '../rules';
import { snapshotPathProblem, snapshotWriteFailure } from './snapshot-path';
import { partialFailureWarnings } from './warnings';
import { EXIT, UsageError } from './exit';

/** Where the CLI writes; tests pass buffers. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The clock, read once per check. */
  readonly now: () => number;
  /** Progress lines during long live reads (set by the CLI on a TTY only). */
  readonly progress?: (message: string) => void;
  /** What stdout is (a TTY, its width) and the environment (NO_COLOR, FORCE_COLOR, COLUMNS). */
  readonly terminal?: TerminalInfo;
  /**
   * Reads the kubectl on PATH for a live run's KubectlVersionSkew (default readLocalKubectl);
   * tests pass a fake so no real kubectl decides their outcome.
   */
  readonly kubectl?: () => Promise<LocalKubectl>;
  /** The environment the silence commands read (SKEWGUARD_TABLE, USER); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export { EXIT, UsageError } from './exit';

/** Options of `skewguard check`. */
export interface CheckOptions {
  readonly fromFile: string[];
  /** Cap in MB on each --from-file input and on all of them together. */
  readonly maxInputMb?: number;
  /** `--as-of`: when the --from-file input was saved (validated ISO 8601). */
  readonly asOf?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly saveSnapshot?: string;
  readonly prometheusUrl?: string;
  readonly prometheusSelector?: string;
  /** Rendered manifests to compare the live workloads with (ConfigDrift). */
  readonly manifests?: string;
  /** Namespace of manifest objects without one. @default 'default' */
  readonly manifestsNamespace?: string;
  readonly config?: string;
  readonly cluster?: string;
  readonly output: string;
  readonly failOn: string;
  /** Exit 3 when a rule was not checked because an input was missing or a read failed. */
  readonly failOnSkipped?: boolean;
  /** Pending findings at or above --fail-on count for the exit code too. */
  readonly failOnPending?: boolean;
}

/** The options that name the sources and the cluster, shared by `check` and `plan`. */
export type SourceOptions = Omit<
  CheckOptions,
  'output' | 'failOn' | 'failOnSkipped' | 'failOnPending'
>;

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on demand: @kubernetes/client-node and axios cost seconds to load; --from-file never needs them.
const kubernetes = (): typeof KubernetesModuleNs =>
  require('../collect/kubernetes') as typeof KubernetesModuleNs;
const prometheus = (): typeof PrometheusModuleNs =>
  require('../collect/prometheus') as typeof PrometheusModuleNs;
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Takes every notification as delivered without writing it: the person at the terminal reads
 * the report, not the email, and the ledger confirms a transition only once it is delivered.
 */
const ACCEPT_ALL: Notifier = {
  publish: (batch) => Promise.resolve(deliveryResult(batch.transitions, 0, [])),
};

/**
 * `skewguard check`: the same pipeline as the scheduled checker (runCheck), with an in-memory
 * ledger, so a finding fires or waits exactly as the deployed checker would decide.
 */
export async function check(opts: CheckOptions, io: CliIo): Promise<number> {
  const run = await runFromFlags(opts, io);
  if (run === undefined) return EXIT.error;
  const { result, clusterName, saved, collectedAt } = run;
  const saveFailure =
    opts.saveSnapshot !== undefined && saved !== undefined
      ? await writeSnapshot(opts.saveSnapshot, saved.objects, {
          cluster: clusterName,
          collectedAt: collectedAt(),
          notes: saved.notes,
        })
      : undefined;

  const status = new Map(result.delivery.items.map((i) => [i.sk, i.status]));
  const report = toReport(result.snapshot, result.evaluation, (f) =>
    status.get(f.fingerprint) === 'firing' ? 'firing' : 'pending',
  );
  io.stdout(
    opts.output === 'json'
      ? renderJson(report)
      : opts.output === 'markdown'
        ? renderMarkdown(report)
        : renderTerminalReport(report, terminalStyle(io.terminal)),
  );
  if (saveFailure !== undefined) {
    io.stderr(`skewguard: ${saveFailure}\n`);
    return EXIT.error;
  }
  const failing = failingFindings(report, opts);
  if (failing) return EXIT.findings;
  if (opts.failOnSkipped) {
    const causes = notCheckedGroups(report.coverage).filter((g) => g.actionable);
    if (causes.length > 0) {
      const rules = actionablySkipped(report.coverage).length;
      io.stderr(
        `skewguard: ${rules} rules not checked (--fail-on-skipped exits 3); supply: ${causes.map((g) => g.cause).join('; ')}\n`,
      );
      return EXIT.notChecked;
    }
  }
  return EXIT.ok;
}

/** Objects a live read returned, for --save-snapshot. */
interface SavedObjects {
  readonly objects: KubeObjects;
  readonly notes: readonly string[];
}

/** What one run from the flags' sources produced, for `check` and `plan`. */
export interface FlagRun {
  readonly result: CheckResult;
  readonly clusterName: string;
  readonly saved: SavedObjects | undefined;
  readonly collectedAt: () => string;
  /** The cluster's name on EKS when the config reads it from EKS, for the plan's commands. */
  readonly eksName?: string;
}

/**
 * Collects from the flags' sources and runs the pipeline with an in-memory ledger; warns about
 * sources that failed, and returns undefined (after saying why on stderr) when every one did.
 */
export async function runFromFlags(opts: SourceOptions, io: CliIo): Promise<FlagRun | undefined> {
  const fromFiles = opts.fromFile.length > 0;
  const live =
    !fromFiles &&
    (opts.prometheusUrl === undefined ||
      opts.context !== undefined ||
      opts.kubeconfig !== undefined);
  validate(opts, fromFiles, live);
  if (opts.saveSnapshot !== undefined) {
    const problem = await snapshotPathProblem(opts.saveSnapshot);
    if (problem !== undefined) throw new UsageError(problem);
  }
  const clock = io.now();
  // Saved input alone is evaluated as of itself; a live or Prometheus read is as of the clock.
  const datedByInput = fromFiles && opts.prometheusUrl === undefined;
  const config = opts.config !== undefined ? loadConfig({ path: opts.config }) : undefined;
  if (config && opts.cluster === undefined) {
    throw new UsageError(
      `--config needs --cluster NAME to pick the cluster's rule settings (one of: ${config.clusters.map((c) => c.name).join(', ')})`,
    );
  }
  if (config && !config.clusters.some((c) => c.name === opts.cluster)) {
    throw new UsageError(
      `--cluster ${JSON.stringify(opts.cluster)} is not a cluster of ${opts.config ?? 'the config'} (its clusters: ${config.clusters.map((c) => c.name).join(', ')}); pass one of them, or add the cluster to the config`,
    );
  }
  const policy: Policy =
    config && opts.cluster !== undefined ? policyFor(config, opts.cluster) : DEFAULT_POLICY;
  const manifests = desiredManifests(
    opts,
    config?.clusters.find((c) => c.name === opts.cluster)?.drift,
    fromFiles || live,
  );

  const collectors: SourceCollector[] = [];
  let cluster = opts.cluster;
  let inputTime: number | undefined;
  let saved: SavedObjects | undefined;
  if (fromFiles) {
    const read = collectFromFiles(opts.fromFile, {
      ...(opts.cluster !== undefined ? { cluster: opts.cluster } : {}),
      ...(opts.maxInputMb !== undefined ? { maxInputMb: opts.maxInputMb } : {}),
      ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
      ...(manifests ? { manifests } : {}),
      collectedAt: new Date(clock).toISOString(),
      datedByInput,
    });
    // Read before the run is named and timed: a saved snapshot names its cluster as the live run
    // did, and the input dates itself. A failed read surfaces inside the run, like any source's.
    const snapshot = await read.catch(() => undefined);
    cluster ??= snapshot?.cluster ?? defaultClusterName(opts.fromFile);
    if (datedByInput && snapshot) inputTime = Date.parse(snapshot.collectedAt);
    collectors.push({ source: 'files', collect: () => read });
  }
  const now = inputTime ?? clock;
  const collectedAt = (): string => new Date(now).toISOString();
  if (live) {
    // Connecting only loads the kubeconfig (no network); it names the cluster after the context.
    const target = await kubernetes().connectKubeconfigFile({
      ...(opts.kubeconfig !== undefined ? { file: opts.kubeconfig } : {}),
      ...(opts.context !== undefined ? { context: opts.context } : {}),
    });
    const name = (cluster ??= target.name);
    collectors.push({
      source: 'kubernetes',
      collect: async () => {
        // The kubectl a person runs against this context is checked only here, in a live CLI
        // run on their machine: the Lambda has no kubectl and never spawns one. It runs beside
        // the API read (it never rejects, and stops itself within its timeout).
        const client = (io.kubectl ?? readLocalKubectl)();
        try {
          const collection = await kubernetes().collectFromKubernetes({
            cluster: name,
            target,
            collectedAt,
            ...(io.progress ? { onProgress: io.progress } : {}),
            // Prometheus measures deprecated API traffic better; without it, read /metrics.
            deprecatedApis: opts.prometheusUrl === undefined,
            ...(manifests ? { manifests } : {}),
          });
          saved = { objects: collection.objects, notes: collection.snapshot.notes };
          const local = await client;
          return withKubectl(collection.snapshot, local.read, local.notes);
        } finally {
          target.agent.destroy();
        }
      },
    });
  }
  if (opts.prometheusUrl !== undefined) {
    const url = opts.prometheusUrl;
    const prom = prometheus();
    // Named after the selected cluster when the selector names one, so fingerprints differ
    // between clusters that share one Prometheus.
    const fromSelector =
      opts.prometheusSelector !== undefined
        ? prometheus().clusterNameOfSelector(opts.prometheusSelector)
        : undefined;
    const name = (cluster ??= fromSelector ?? new URL(url).hostname);
    // Read once, up front, for the clear-text warning; a bad setting fails this source only.
    let auth: ReturnType<typeof prom.cliPrometheusAuth> | undefined;
    let authError: unknown;
    try {
      auth = prom.cliPrometheusAuth(url);
    } catch (error) {
      authError = error;
    }
    if ((auth?.type === 'basic' || auth?.type === 'bearer') && url.startsWith('http://'))
      io.stderr(
        `skewguard: warning: the ${auth.type === 'basic' ? 'username and password' : 'bearer token'} from the environment go to ${new URL(url).host} over plain http://, in clear text to anyone on the path; use the https:// URL of that Prometheus\n`,
      );
    collectors.push({
      source: 'prometheus',
      collect: async () => {
        if (auth === undefined) throw authError;
        return (
          await prom.collectFromPrometheus({
            cluster: name,
            url,
            auth,
            ...(opts.prometheusSelector !== undefined ? { selector: opts.prometheusSelector } : {}),
            collectedAt,
            forWindows: forWindowsOf(policy),
            // One clock for the whole run: Prometheus is queried at the time the check evaluates.
            at: now,
          })
        ).snapshot;
      },
    });
  }
  const clusterName = cluster ?? 'cluster';

  const result = await runCheck(
    clusterName,
    { collectors, ledger: new Ledger(new MemoryLedgerStore()), notifier: ACCEPT_ALL, policy },
    now,
  );
  const failed = result.summary.sources.filter((s) => s.status === 'failed');
  if (failed.length === result.summary.sources.length) {
    // One source: its own message says it all; several: name each.
    const message =
      failed.length === 1
        ? (failed[0]?.reason ?? 'the source failed')
        : `every source failed: ${failed.map((s) => `${s.source}: ${s.reason ?? 'failed'}`).join('; ')}`;
    io.stderr(`skewguard: ${message}\n`);
    return undefined;
  }
  for (const s of failed)
    io.stderr(
      `skewguard: warning: ${s.source} failed (${s.kind ?? 'error'}): ${s.reason ?? ''}; its rules are skipped\n`,
    );
  for (const line of partialFailureWarnings(result.snapshot, result.evaluation)) io.stderr(line);
  const source = config?.clusters.find((c) => c.name === opts.cluster)?.kubernetes;
  return {
    result,
    clusterName,
    saved,
    collectedAt,
    ...(source?.kind === 'eks' ? { eksName: source.name } : {}),
  };
}

/**
 * The manifests to compare with: --manifests, else the cluster config's `drift.manifests`; read
 * before any source, so a bad folder is a usage error that names the file, not a failed source.
 */
function desiredManifests(
  opts: SourceOptions,
  drift: DriftConfig | undefined,
  objectSource: boolean,
): DesiredManifests | undefined {
  const path = opts.manifests ?? drift?.manifests;
  if (path === undefined) {
    if (opts.manifestsNamespace !== undefined)
      throw new UsageError(
        '--manifests-namespace needs --manifests DIR, the manifests it applies to',
      );
    return undefined;
  }
  if (!objectSource) {
    throw new UsageError(
      `${opts.manifests !== undefined ? '--manifests' : 'drift.manifests'} compares with the live workloads' pod templates, which Prometheus does not carry; add --context/--kubeconfig (live) or --from-file with \`kubectl get deployments,statefulsets,daemonsets,hpa -A -o json\` output`,
    );
  }
  const namespaceSetting =
    opts.manifests !== undefined ? '--manifests-namespace' : 'drift.namespace';
  const defaultNamespace =
    opts.manifests !== undefined
      ? opts.manifestsNamespace
      : (drift?.namespace ?? opts.manifestsNamespace);
  return readManifests(path, {
    namespaceSetting,
    ...(defaultNamespace !== undefined ? { defaultNamespace } : {}),
    ...(opts.maxInputMb !== undefined ? { maxInputMb: opts.maxInputMb } : {}),
  });
}

/** Firing findings (and with --fail-on-pending, pending ones) at or above --fail-on. */
function failingFindings(report: CheckReport, opts: CheckOptions): boolean {
  if (opts.failOn === 'never') return false;
  const threshold = severityRank(opts.failOn as Severity);
  // Pending findings have not held for their `for` yet: they fail the run only when asked.
  return report.findings.some(
    (f) =>
      (f.status === 'firing' || opts.failOnPending === true) &&
      severityRank(f.severity) >= threshold,
  );
}

/**
 * Writes `--save-snapshot`'s file and returns the problem when that fails: the path was checked
 * before the read, so a failure here is rare (disk full, a race) and must not cost the report.
 */
async function writeSnapshot(
  file: string,
  objects: KubeObjects,
  info: SnapshotInfo,
): Promise<string | undefined> {
  try {
    await saveSnapshot(file, objects, info);
    return undefined;
  } catch (error) {
    return snapshotWriteFailure(file, error);
  }
}

function validate(opts: SourceOptions, fromFiles: boolean, live: boolean): void {
  if (opts.cluster !== undefined && opts.cluster.trim() === '') {
    throw new UsageError(
      '--cluster needs a name: it names the cluster in the output and in finding fingerprints',
    );
  }
  if (opts.asOf !== undefined && (!fromFiles || opts.prometheusUrl !== undefined)) {
    throw new UsageError(
      '--as-of dates saved --from-file input; a live or Prometheus read is evaluated at the time it is made, so drop --as-of (or read the saved files alone)',
    );
  }
  if (fromFiles && (opts.context !== undefined || opts.kubeconfig !== undefined)) {
    throw new UsageError(
      '--from-file reads saved output; drop --context/--kubeconfig, or drop --from-file to read the live cluster',
    );
  }
  if (!live && opts.saveSnapshot !== undefined) {
    throw new UsageError(
      '--save-snapshot saves what a live Kubernetes read collected; use it with --context/--kubeconfig, not --from-file alone',
    );
  }
  if (opts.prometheusSelector !== undefined) {
    if (opts.prometheusUrl === undefined)
      throw new UsageError('--prometheus-selector needs --prometheus-url');
    try {
      prometheus().parseSelector(opts.prometheusSelector);
    } catch (error) {
      throw new UsageError(error instanceof SourceError ? error.message : String(error));
    }
  }
  if (opts.prometheusUrl !== undefined && !isUrlOf(opts.prometheusUrl, ['http', 'https'])) {
    throw new UsageError(
      `--prometheus-url "${opts.prometheusUrl}" is not an http(s) URL with a host, e.g. http://prometheus:9090 or https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-…`,
    );
  }
}

/** runCheck, one run's pipeline: collect every source, merge, evaluate, reconcile, publish. */
import { SourceError } from './collect/errors';
import type { SourceCollector } from './collect/source-collector';
import { mergeSnapshots } from './collect/merge';
import { failedSnapshot } from './collect/kube-objects';
import type { DeliveryResult, Ledger, WriteFailure } from './ledger';
import type { Notifier, PublishError } from './notify/publisher';
import { stillFiring } from './notify/publisher';
import type { ClusterSnapshot, Evaluation, Policy, Severity, SourceStatus } from './rules';
import type { MaintenanceWindow } from './config/maintenance';
import { evaluate } from './rules';

/** What a run needs besides the cluster name: sources, state, notifications, policy. */
export interface CheckDeps {
  readonly collectors: readonly SourceCollector[];
  readonly ledger: Ledger;
  readonly notifier: Notifier;
  readonly policy: Policy;
  /** Wall clock for `durationMs` only; evaluation uses the `now` passed to runCheck. */
  readonly clock?: () => number;
  /** The cluster's maintenance windows: notices are held while one is open. */
  readonly maintenanceWindows?: readonly MaintenanceWindow[];
}

/** The Lambda's return value and the CLI's log line: what one run did. */
export interface CheckSummary {
  readonly cluster: string;
  /** Findings firing after this run. */
  readonly firing: number;
  /** Resolved notices this run delivered. */
  readonly resolved: number;
  /** Transitions this run delivered (firing, repeat, resolved). */
  readonly notified: number;
  /** Notices owed but held by a silence or maintenance window (sent after it ends). */
  readonly held: number;
  /** Firing findings by severity (for metrics). */
  readonly firingBySeverity: Readonly<Record<Severity, number>>;
  /** Messages that could not be published; their notices stay owed (0 on a clean run). */
  readonly publishFailures: number;
  /** Ledger writes the store rejected (0 on a clean run). */
  readonly ledgerWriteFailures: number;
  readonly sources: readonly SourceStatus[];
  readonly durationMs: number;
  /** Rules evaluated on incomplete input (a partial Prometheus answer); present when any. */
  readonly partialRules?: number;
}

/** Everything a run produced, for callers that render more than the summary (the CLI). */
export interface CheckResult {
  readonly summary: CheckSummary;
  readonly snapshot: ClusterSnapshot;
  readonly evaluation: Evaluation;
  readonly delivery: DeliveryResult;
  /** Ledger writes the store rejected: nothing is lost, but they deserve a log line and an alarm. */
  readonly ledgerFailures: readonly WriteFailure[];
  /** Messages SNS did not take (one per message): their notices stay owed, but they alarm. */
  readonly publishFailures: readonly PublishError[];
}

/**
 * The pipeline (docs/architecture.md, "Data flow"): collect from every source concurrently (one failing source
 * never stops the other), merge, record source health, evaluate, reconcile with the ledger and
 * publish what changed. A failed digest (nothing published) propagates as PublishError after
 * the ledger released its claims; other failed messages are returned in `publishFailures`.
 * Either way the next run delivers what was not.
 */
export async function runCheck(
  cluster: string,
  deps: CheckDeps,
  now: number,
): Promise<CheckResult> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const collectedAt = new Date(now).toISOString();
  const { snapshots, statuses } = await collectAll(deps.collectors);

  const health = await deps.ledger.recordSourceHealth(cluster, statuses, now);
  const counted: SourceStatus[] = statuses.map((s) => {
    const entry = health.sources.find((h) => h.source === s.source);
    if (!entry) return s;
    const unavailable = health.unavailable.some((u) => u.source === s.source);
    return {
      ...s,
      consecutiveFailures: entry.consecutiveFailures,
      ...(s.status === 'failed' ? { unavailable } : {}),
    };
  });
  const merged = snapshots.reduce<ClusterSnapshot | undefined>(
    (acc, s) => (acc ? mergeSnapshots(acc, s) : s),
    undefined,
  );
  const snapshot: ClusterSnapshot = merged
    ? { ...merged, cluster, collectedAt, sources: counted }
    : failedSnapshot(cluster, collectedAt, counted);

  const evaluation = evaluate(snapshot, deps.policy, now);
  const runAt = collectedAt;
  const publishFailures: PublishError[] = [];
  const delivery = await deps.ledger.deliver(
    cluster,
    evaluation,
    now,
    async (transitions, context) => {
      const items = context?.items ?? [];
      // A held finding is left out of every message, the digest's "still firing" too.
      const held = new Set(context?.onHold ?? []);
      const result = await deps.notifier.publish({
        cluster,
        runAt,
        transitions,
        stillFiring: stillFiring(items, transitions).filter((i) => !held.has(i.sk)),
        items,
      });
      publishFailures.push(...result.failures);
      return { undelivered: result.undelivered };
    },
    deps.maintenanceWindows ? { maintenanceWindows: deps.maintenanceWindows } : {},
  );

  const firingItems = delivery.items.filter((i) => i.status === 'firing');
  const firingBySeverity: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const item of firingItems) firingBySeverity[item.severity] += 1;
  return {
    summary: {
      cluster,
      firing: firingItems.length,
      resolved: delivery.delivered.filter((t) => t.kind === 'resolved').length,
      notified: delivery.delivered.length,
      held: delivery.held.length,
      firingBySeverity,
      publishFailures: publishFailures.length,
      ledgerWriteFailures: delivery.failures.length,
      sources: counted,
      durationMs: clock() - started,
      ...partialRuleCount(evaluation),
    },
    snapshot,
    evaluation,
    delivery,
    ledgerFailures: delivery.failures,
    publishFailures,
  };
}

/** Runs every collector at once; a failure becomes that source's status, never the run's. */
async function collectAll(
  collectors: readonly SourceCollector[],
): Promise<{ snapshots: ClusterSnapshot[]; statuses: SourceStatus[] }> {
  const results = await Promise.allSettled(collectors.map((c) => c.collect()));
  const snapshots: ClusterSnapshot[] = [];
  const statuses: SourceStatus[] = [];
  results.forEach((result, i) => {
    const source = collectors[i]?.source ?? 'kubernetes';
    if (result.status === 'fulfilled') {
      snapshots.push(result.value);
      statuses.push({ source, status: 'ok' });
      return;
    }
    const error: unknown = result.reason;
    statuses.push(
      error instanceof SourceError
        ? { source, status: 'failed', kind: error.kind, reason: error.message }
        : {
            source,
            status: 'failed',
            kind: 'protocol',
            reason: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
          },
    );
  });
  return { snapshots, statuses };
}

function partialRuleCount(evaluation: Evaluation): { partialRules?: number } {
  const n = evaluation.coverage.filter((c) => c.status === 'partial').length;
  return n > 0 ? { partialRules: n } : {};
}

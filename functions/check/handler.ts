/** The check function's handler: checks the `{cluster}` event, runs runCheck, logs, emits EMF. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CheckResult, CheckSummary } from '../../lib/check';
import { runCheck } from '../../lib/check';
import { collectorsFor } from '../../lib/collect/from-config';
import { forWindowsOf } from '../../lib/rules/for-windows';
import type { SkewguardConfig } from '../../lib/config';
import { findCluster, policyFor } from '../../lib/config';
import type { LedgerStore } from '../../lib/ledger';
import { DynamoDbLedgerStore, Ledger, LedgerReadCache, recordHeartbeat } from '../../lib/ledger';
import { PublishError } from '../../lib/notify/publisher';
import { SnsNotifier } from '../../lib/notify/sns';
import { DEFAULT_HEARTBEAT, staleAlarmWindow, windowDimension } from '../../lib/util/heartbeat';
import { EMF_FIELDS, HEARTBEAT_WINDOW_DIMENSION, METRIC_NAMES } from '../../lib/util/metrics';
import { SEVERITIES } from '../../lib/rules';
import { sendPlanIfChanged } from './plan-notice';

/** The schedule's event: `{ "cluster": "<name from the config>" }`. */
export interface CheckEvent {
  readonly cluster: string;
}

/** What the handler needs from its environment; built once per container in index.ts. */
export interface HandlerContext {
  readonly config: SkewguardConfig;
  readonly tableName: string;
  readonly topicArn: string;
  /**
   * Whether a chat webhook subscribes to the topic (CHAT_SUBSCRIBED, set by the stack): the
   * function's config carries no notifications, those route in SNS.
   */
  readonly chat: boolean;
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  readonly secrets: SecretsManagerClient;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /**
   * The function's heartbeat partition (its construct id) and the stack's heartbeatMissedRuns,
   * from SKEWGUARD_HEARTBEAT_GROUP and SKEWGUARD_HEARTBEAT_MISSED_RUNS.
   * @default DEFAULT_HEARTBEAT
   */
  readonly heartbeat?: { readonly group: string; readonly missedRuns: number };
  readonly now?: () => number;
  /** The function's code folder (LAMBDA_TASK_ROOT), where synth bundled each cluster's drift manifests. */
  readonly codeRoot?: string;
}

/** A bad event: the message names the problem and the clusters the config knows. */
export class EventError extends Error {
  override readonly name = 'EventError';
}

/** Validates the schedule's event. */
export function parseEvent(event: unknown, config: SkewguardConfig): CheckEvent {
  const cluster =
    typeof event === 'object' && event !== null
      ? (event as Record<string, unknown>)['cluster']
      : undefined;
  if (typeof cluster !== 'string' || cluster === '') {
    throw new EventError(
      `the event must be {"cluster": "<name>"}; got ${JSON.stringify(event)?.slice(0, 200)}`,
    );
  }
  if (!config.clusters.some((c) => c.name === cluster)) {
    throw new EventError(
      `unknown cluster "${cluster}" in the event; the config has: ${config.clusters.map((c) => c.name).join(', ')}`,
    );
  }
  return { cluster };
}

/** The part of Lambda's invocation context the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Time past the invocation's end before its claims lapse: a write sent just before the timeout
 * may still land, and clocks differ a little between Lambda and DynamoDB.
 */
export const CLAIM_MARGIN_SECONDS = 60;

/**
 * How long this run's ledger claims hold: the invocation's remaining time plus a margin, since a
 * run cannot confirm after Lambda stops it; undefined (the ledger's 15-minute default) when the
 * remaining time is unknown.
 */
export function claimTtlSeconds(invocation: InvocationContext | undefined): number | undefined {
  const remaining = invocation?.getRemainingTimeInMillis();
  if (remaining === undefined || !Number.isFinite(remaining) || remaining <= 0) return undefined;
  return Math.ceil(remaining / 1000) + CLAIM_MARGIN_SECONDS;
}

/**
 * Runs one scheduled check: thin adapter over runCheck, plus logs and EMF metrics. Pass the
 * Lambda context as `invocation` so a run that dies mid-publish holds its claims only until the
 * invocation's timeout (plus a margin) rather than 15 minutes.
 */
export async function handleCheck(
  event: unknown,
  ctx: HandlerContext,
  invocation?: InvocationContext,
): Promise<CheckSummary> {
  // Read first: the remaining time counts down from the invocation's start.
  const claimTtl = claimTtlSeconds(invocation);
  const { cluster: name } = parseEvent(event, ctx.config);
  const cluster = findCluster(ctx.config, name);
  const now = (ctx.now ?? Date.now)();
  const store = new DynamoDbLedgerStore(ctx.dynamodb, ctx.tableName);
  const ledger = new Ledger(store, {
    repeatIntervalSeconds: ctx.config.defaults.repeatIntervalSeconds,
    ...(claimTtl !== undefined ? { claimTtlSeconds: claimTtl } : {}),
  });
  const notifier = new SnsNotifier(ctx.sns, {
    topicArn: ctx.topicArn,
    // Chat subscriptions filter on audience=chat; without them nobody would read those messages.
    chat: ctx.chat,
  });
  const policy = policyFor(ctx.config, name);
  const cache = new LedgerReadCache(store, name, (message) => ctx.logger.warn(message));
  const collectors = collectorsFor(
    cluster,
    {
      secrets: ctx.secrets,
      // Every rollout rule's `for`, overrides included, so Prometheus dates conditions far enough back.
      forWindows: forWindowsOf(policy),
      prometheusAt: () => now,
      // EKS support calendars, add-ons and insights change over days: read every few hours.
      cache,
      now: () => now,
      ...(ctx.codeRoot ? { manifestsRoot: ctx.codeRoot } : {}),
    },
    () => new Date(now).toISOString(),
  );
  ctx.logger.appendKeys({ cluster: name });
  // A plain field of the run's EMF line, not a dimension: Logs Insights groups by it for free.
  ctx.metrics.addMetadata(EMF_FIELDS.cluster, name);
  try {
    let result: CheckResult;
    try {
      result = await runCheck(
        name,
        {
          collectors,
          ledger,
          notifier,
          policy,
          ...(cluster.maintenanceWindows ? { maintenanceWindows: cluster.maintenanceWindows } : {}),
        },
        now,
      );
    } catch (error) {
      // The digest failed, so nothing went out; the invocation fails (ErrorsAlarm) and this counts.
      if (error instanceof PublishError) {
        logPublishFailure(ctx.logger, error);
        emitFailureCount(ctx.metrics, METRIC_NAMES.publishFailures, 1);
      }
      throw error;
    }
    const { summary } = result;
    for (const failure of result.publishFailures) logPublishFailure(ctx.logger, failure);
    for (const failure of result.ledgerFailures) {
      ctx.logger.error('ledger write rejected', {
        sk: failure.sk,
        operation: failure.error.operation,
        errorName: failure.error.name,
        error: failure.error.message,
      });
    }
    for (const s of summary.sources.filter((x) => x.status === 'failed')) {
      ctx.logger.warn('source failed', {
        source: s.source,
        kind: s.kind,
        reason: s.reason,
        consecutiveFailures: s.consecutiveFailures,
      });
    }
    if (summary.partialRules !== undefined)
      ctx.logger.warn('rules checked on a partial answer', {
        partialRules: result.evaluation.coverage
          .filter((c) => c.status === 'partial')
          .map((c) => ({ ruleId: c.ruleId, reason: c.status === 'partial' ? c.reason : '' })),
      });
    emitMetrics(ctx.metrics, summary);
    await emitStaleClusters(ctx, store, name, now);
    // After the check's own metrics: a plan that cannot be sent never hides the heartbeat.
    await sendPlanIfChanged(cluster, result, now, {
      cache,
      publish: (message) => notifier.publishMessage(message),
      log: {
        info: (message, extra) => ctx.logger.info(message, extra),
        warn: (message, extra) => ctx.logger.warn(message, extra),
      },
      onPublishFailure: (error) => {
        logPublishFailure(ctx.logger, error);
        emitFailureCount(ctx.metrics, METRIC_NAMES.publishFailures, 1);
      },
    });
    // The check ran (the heartbeat counts it); what it could not deliver alarms on its own metrics.
    if (summary.publishFailures > 0 || summary.ledgerWriteFailures > 0)
      ctx.logger.warn('check completed with delivery failures', { ...summary });
    else ctx.logger.info('check completed', { ...summary });
    return summary;
  } finally {
    ctx.metrics.publishStoredMetrics();
  }
}

/**
 * The run's EMF line: fleet-wide series only (service dimension, EMITTED_SERIES in
 * lib/util/metrics.ts), with the per-cluster detail as plain fields the dashboard's Logs
 * Insights widgets read: a cluster costs no metric series, however many the fleet has.
 */
function emitMetrics(metrics: Metrics, summary: CheckSummary): void {
  const failed = summary.sources.filter((s) => s.status === 'failed').map((s) => s.source);
  metrics.addMetric(METRIC_NAMES.checkCompleted, MetricUnit.Count, 1);
  metrics.addMetric(METRIC_NAMES.checkDurationMs, MetricUnit.Milliseconds, summary.durationMs);
  metrics.addMetric(
    METRIC_NAMES.findingsFiring,
    MetricUnit.Count,
    SEVERITIES.reduce((n, severity) => n + summary.firingBySeverity[severity], 0),
  );
  metrics.addMetric(METRIC_NAMES.sourceErrors, MetricUnit.Count, failed.length);
  // Metadata is text; Logs Insights' stats read "3" as the number 3.
  metrics.addMetadata(EMF_FIELDS.firingCritical, String(summary.firingBySeverity.critical));
  metrics.addMetadata(EMF_FIELDS.firingWarning, String(summary.firingBySeverity.warning));
  metrics.addMetadata(EMF_FIELDS.firingInfo, String(summary.firingBySeverity.info));
  metrics.addMetadata(EMF_FIELDS.failedSources, failed.join(','));
  emitFailureCount(metrics, METRIC_NAMES.publishFailures, summary.publishFailures);
  emitFailureCount(metrics, METRIC_NAMES.ledgerWriteFailures, summary.ledgerWriteFailures);
  // Rules checked on a partial answer: a field of the run's log line, not a billed series.
  if (summary.partialRules !== undefined)
    metrics.addMetadata(EMF_FIELDS.partialRules, String(summary.partialRules));
}

/**
 * A failure count, only when non-zero: a series that exists only on bad runs costs nothing on
 * good ones. Fleet-wide (service only) for the one alarm; the line's `cluster` says whose.
 */
function emitFailureCount(metrics: Metrics, name: string, count: number): void {
  if (count <= 0) return;
  metrics.addMetric(name, MetricUnit.Count, count);
}

/**
 * Stamps this cluster's heartbeat in the ledger and reports how many of the function's clusters
 * stopped (StaleClusters, one series per alarm window). When the ledger cannot be read or
 * written the metric is left out: the alarm counts missing data as breaching, and the failed
 * write counts towards LedgerWriteFailures so the cause alarms too.
 */
async function emitStaleClusters(
  ctx: HandlerContext,
  store: LedgerStore,
  cluster: string,
  now: number,
): Promise<void> {
  const { group, missedRuns } = ctx.heartbeat ?? DEFAULT_HEARTBEAT;
  const clusters = ctx.config.clusters.map((c) => ({
    name: c.name,
    periodSeconds: c.schedule.periodSeconds,
  }));
  const alarm = staleAlarmWindow(
    clusters.map((c) => c.periodSeconds),
    missedRuns,
  );
  try {
    const { stale } = await recordHeartbeat(store, {
      group,
      cluster,
      clusters,
      now,
      missedRuns,
      alarm,
    });
    if (stale.length > 0) ctx.logger.warn('clusters stopped completing checks', { stale });
    ctx.metrics
      .singleMetric()
      .addDimensions({ [HEARTBEAT_WINDOW_DIMENSION]: windowDimension(alarm) })
      .addMetric(METRIC_NAMES.staleClusters, MetricUnit.Count, stale.length);
  } catch (error) {
    ctx.logger.error('heartbeat not recorded', {
      group,
      errorName: error instanceof Error ? error.name : 'Error',
      error: error instanceof Error ? error.message : String(error),
    });
    emitFailureCount(ctx.metrics, METRIC_NAMES.ledgerWriteFailures, 1);
  }
}

/** One log line per message SNS did not take: which audience, which notices, and why. */
function logPublishFailure(logger: Logger, failure: PublishError): void {
  const cause = failure.cause instanceof Error ? failure.cause : undefined;
  logger.error('publish failed', {
    audience: failure.audience,
    messageLabel: failure.messageLabel,
    sk: failure.undelivered,
    attempts: failure.attempts,
    retryable: failure.retryable,
    errorName: cause?.name ?? failure.name,
    error: failure.message,
  });
}

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
import { DynamoDbLedgerStore, Ledger, LedgerReadCache } from '../../lib/ledger';
import { PublishError } from '../../lib/notify/publisher';
import { SnsNotifier } from '../../lib/notify/sns';
import { METRIC_NAMES } from '../../lib/util/metrics';
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
        emitFailureCount(ctx.metrics, name, METRIC_NAMES.publishFailures, 1);
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
        emitFailureCount(ctx.metrics, name, METRIC_NAMES.publishFailures, 1);
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

/** EMF metrics the alarms and dashboard read: heartbeat, duration, firing by severity, source errors. */
function emitMetrics(metrics: Metrics, summary: CheckSummary): void {
  const single = (
    dimensions: Record<string, string>,
    name: string,
    unit: (typeof MetricUnit)[keyof typeof MetricUnit],
    value: number,
  ): void => {
    metrics.singleMetric().addDimensions(dimensions).addMetric(name, unit, value);
  };
  // Names and dimensions are the contract the alarms and dashboard match (lib/util/metrics.ts).
  single({ cluster: summary.cluster }, METRIC_NAMES.checkCompleted, MetricUnit.Count, 1);
  single(
    { cluster: summary.cluster },
    METRIC_NAMES.checkDurationMs,
    MetricUnit.Milliseconds,
    summary.durationMs,
  );
  for (const severity of SEVERITIES) {
    single(
      { cluster: summary.cluster, severity },
      METRIC_NAMES.findingsFiring,
      MetricUnit.Count,
      summary.firingBySeverity[severity],
    );
  }
  for (const s of summary.sources) {
    single(
      { cluster: summary.cluster, source: s.source },
      METRIC_NAMES.sourceErrors,
      MetricUnit.Count,
      s.status === 'failed' ? 1 : 0,
    );
  }
  emitFailureCount(metrics, summary.cluster, METRIC_NAMES.publishFailures, summary.publishFailures);
  emitFailureCount(
    metrics,
    summary.cluster,
    METRIC_NAMES.ledgerWriteFailures,
    summary.ledgerWriteFailures,
  );
  emitFailureCount(metrics, summary.cluster, METRIC_NAMES.partialRules, summary.partialRules ?? 0);
}

/**
 * A failure count, only when non-zero (a series that exists only on bad runs costs nothing on
 * good ones): per cluster for the dashboard, and fleet-wide (service only) for the one alarm.
 */
function emitFailureCount(metrics: Metrics, cluster: string, name: string, count: number): void {
  if (count <= 0) return;
  metrics.singleMetric().addDimensions({ cluster }).addMetric(name, MetricUnit.Count, count);
  metrics.singleMetric().addMetric(name, MetricUnit.Count, count);
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

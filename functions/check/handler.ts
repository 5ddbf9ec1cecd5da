import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CheckSummary } from '../../lib/check';
import { runCheck } from '../../lib/check';
import { collectorsFor } from '../../lib/collect/from-config';
import { forWindowsOf } from '../../lib/collect/for-windows';
import type { SkewguardConfig } from '../../lib/config';
import { findCluster, policyFor } from '../../lib/config';
import { DynamoDbLedgerStore, Ledger } from '../../lib/ledger';
import { SnsNotifier } from '../../lib/notify/sns';
import { METRIC_NAMES } from '../../lib/infra/metrics';
import { SEVERITIES } from '../../lib/rules';

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

/** Runs one scheduled check: thin adapter over runCheck, plus logs and EMF metrics. */
export async function handleCheck(event: unknown, ctx: HandlerContext): Promise<CheckSummary> {
  const { cluster: name } = parseEvent(event, ctx.config);
  const cluster = findCluster(ctx.config, name);
  const now = (ctx.now ?? Date.now)();
  const ledger = new Ledger(new DynamoDbLedgerStore(ctx.dynamodb, ctx.tableName), {
    repeatIntervalSeconds: ctx.config.defaults.repeatIntervalSeconds,
  });
  const notifier = new SnsNotifier(ctx.sns, {
    topicArn: ctx.topicArn,
    // Chat subscriptions filter on audience=chat; without them nobody would read those messages.
    chat: ctx.chat,
  });
  const policy = policyFor(ctx.config, name);
  const collectors = collectorsFor(
    cluster,
    {
      secrets: ctx.secrets,
      // Every rollout rule's `for`, overrides included, so Prometheus dates conditions far enough back.
      forWindows: forWindowsOf(policy),
      prometheusAt: () => now,
    },
    () => new Date(now).toISOString(),
  );
  ctx.logger.appendKeys({ cluster: name });
  try {
    const result = await runCheck(name, { collectors, ledger, notifier, policy }, now);
    const { summary } = result;
    for (const failure of result.ledgerFailures)
      ctx.logger.error('ledger write rejected', { sk: failure.sk, error: failure.error.message });
    for (const s of summary.sources.filter((x) => x.status === 'failed')) {
      ctx.logger.warn('source failed', {
        source: s.source,
        kind: s.kind,
        reason: s.reason,
        consecutiveFailures: s.consecutiveFailures,
      });
    }
    emitMetrics(ctx.metrics, summary);
    ctx.logger.info('check completed', { ...summary });
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
  // Names and dimensions are the contract the alarms and dashboard match (lib/infra/metrics.ts).
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
}

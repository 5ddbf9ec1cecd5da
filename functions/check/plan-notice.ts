/** The scheduled upgrade plan: worked out once per period from a complete check, sent when it changed. */
import { createHash } from 'node:crypto';
import type { CheckResult } from '../../lib/check';
import type { ClusterConfig } from '../../lib/config';
import type { LedgerReadCache } from '../../lib/ledger';
import { planMessage } from '../../lib/notify/plan-message';
import type { OutboundMessage } from '../../lib/notify/publisher';
import { PublishError } from '../../lib/notify/publisher';
import { planUpgrade } from '../../lib/rules';

/** Cache names in the ledger: when the plan was last worked out, and the hash last sent. */
export const PLAN_CHECKED = 'plan-checked';
export const PLAN_SENT = 'plan-sent';

/**
 * How long the hash of the last plan sent is kept: longer than any plan period, so an unchanged
 * plan is never sent twice; a plan unchanged for this long is sent again as a reminder.
 */
export const PLAN_SENT_TTL_SECONDS = 400 * 86_400;

/** What happened to the plan on this run (logged, and what the tests check). */
export type PlanNoticeOutcome =
  'not-configured' | 'not-due' | 'incomplete' | 'refused' | 'unchanged' | 'sent' | 'failed';

/** The log lines the plan writes (the handler passes the Powertools logger's methods). */
export interface PlanLog {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/** What the plan notice needs from the handler. */
export interface PlanNoticeDeps {
  readonly cache: LedgerReadCache;
  readonly publish: (message: OutboundMessage) => Promise<void>;
  readonly log: PlanLog;
  /** Called when SNS did not take the plan (the handler counts it in PublishFailures). */
  readonly onPublishFailure: (error: PublishError) => void;
}

/** The target as the cache remembers it: changing `plan.to` in the config works the plan out at once. */
function targetKey(to: number | undefined): string {
  return to === undefined ? 'next' : `1.${to}`;
}

/**
 * Sends the cluster's upgrade plan when `plan:` is configured, the period has passed since it was
 * last worked out, every source answered (a plan from half a cluster would send a false change),
 * and the plan differs from the last one sent. A run that cannot decide tries again next run.
 */
export async function sendPlanIfChanged(
  cluster: ClusterConfig,
  result: CheckResult,
  now: number,
  deps: PlanNoticeDeps,
): Promise<PlanNoticeOutcome> {
  const options = cluster.plan;
  if (options === undefined) return 'not-configured';
  const key = targetKey(options.to);
  const checked = await deps.cache.get(PLAN_CHECKED, now);
  if (checked?.value === key) return 'not-due';

  const failed = result.summary.sources.filter((s) => s.status === 'failed');
  if (failed.length > 0) {
    deps.log.warn('upgrade plan not worked out: a source failed; it is tried again next run', {
      sources: failed.map((s) => s.source),
    });
    return 'incomplete';
  }
  const eks = cluster.kubernetes?.kind === 'eks' ? cluster.kubernetes.name : undefined;
  const planned = planUpgrade(result.snapshot, {
    ...(options.to !== undefined ? { to: options.to } : {}),
    now,
    ...(eks !== undefined ? { platformName: eks } : {}),
  });
  if (!planned.ok) {
    // Usually the cluster reached or passed `plan.to`: say so once per period, not every run.
    deps.log.warn(`no upgrade plan for ${cluster.name}: ${planned.reason}`, {
      fix: 'change or remove plan.to for this cluster in the config',
    });
    await deps.cache.put(PLAN_CHECKED, key, now, options.everySeconds);
    return 'refused';
  }
  const hash = createHash('sha256').update(JSON.stringify(planned.plan)).digest('hex');
  const sent = await deps.cache.get(PLAN_SENT, now);
  if (sent?.value === hash) {
    await deps.cache.put(PLAN_CHECKED, key, now, options.everySeconds);
    return 'unchanged';
  }
  try {
    await deps.publish(planMessage(planned.plan, new Date(now).toISOString()));
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    // Neither mark is written, so the next run tries again.
    deps.onPublishFailure(error);
    return 'failed';
  }
  await deps.cache.put(PLAN_SENT, hash, now, PLAN_SENT_TTL_SECONDS);
  await deps.cache.put(PLAN_CHECKED, key, now, options.everySeconds);
  deps.log.info('upgrade plan sent', {
    from: planned.plan.from,
    to: planned.plan.to,
    hops: planned.plan.hops.length,
  });
  return 'sent';
}

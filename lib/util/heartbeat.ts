/**
 * Heartbeat arithmetic shared by the stack (alarm shapes) and the check function (when a cluster
 * counts as stale), so both derive the same windows from a schedule's period.
 */

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
const WEEK = 7 * DAY;

/** How a heartbeat alarm looks at its metric. */
export interface HeartbeatWindow {
  /** The alarm period: one run's period (whole minutes), at most a day. */
  readonly periodSeconds: number;
  /** Consecutive periods without a completed run before the alarm fires. */
  readonly evaluationPeriods: number;
}

/**
 * The alarm fires after `missedRuns` periods without a completed run, within CloudWatch's
 * limits: periods are whole minutes; period × evaluations ≤ 1 day for periods under an hour,
 * else ≤ 7 days. Schedules slower than daily use day-long periods spanning the run gap.
 */
export function heartbeatWindow(runPeriodSeconds: number, missedRuns: number): HeartbeatWindow {
  // The config rejects slower schedules (MAX_SCHEDULE_PERIOD_SECONDS); a window that cannot span
  // one run gap would alarm between every two runs, so refuse rather than build it.
  if (runPeriodSeconds > WEEK - DAY) {
    throw new Error(
      `heartbeatWindow: a run every ${runPeriodSeconds}s leaves no day of slack within CloudWatch's 7-day look-back (see MAX_SCHEDULE_PERIOD_SECONDS)`,
    );
  }
  const periodSeconds = Math.min(
    DAY,
    Math.ceil(Math.max(MINUTE, runPeriodSeconds) / MINUTE) * MINUTE,
  );
  const limit = periodSeconds < HOUR ? DAY : WEEK;
  const wanted = Math.ceil((runPeriodSeconds * missedRuns) / periodSeconds);
  return {
    periodSeconds,
    evaluationPeriods: Math.max(1, Math.min(wanted, Math.floor(limit / periodSeconds))),
  };
}

/** Seconds in a window: what a heartbeat alarm of that shape waits before it fires. */
export function windowSeconds(window: HeartbeatWindow): number {
  return window.periodSeconds * window.evaluationPeriods;
}

/**
 * The StaleClusters alarm window of a check function: the heartbeat window of its fastest
 * schedule, since its runs report that often. Stack and handler both call this.
 */
export function staleAlarmWindow(
  periodsSeconds: readonly number[],
  missedRuns: number,
): HeartbeatWindow {
  return heartbeatWindow(Math.min(...periodsSeconds), missedRuns);
}

/**
 * The value of the StaleClusters metric's `heartbeatWindow` dimension: functions with the same
 * alarm window share one series (and one alarm), so a fleet usually has exactly one.
 */
export function windowDimension(window: HeartbeatWindow): string {
  return `${window.periodSeconds}x${window.evaluationPeriods}`;
}

/**
 * Slack past a run period before a cluster counts as stale: its schedule's start jitters by
 * seconds and a throttled invoke is retried a little later, neither of which is a missed run.
 */
export const STALE_GRACE_SECONDS = 120;

/**
 * Age of a cluster's last successful run (by its start) from which it counts as stale. The alarm
 * needs `alarm.evaluationPeriods` stale datapoints in a row, so a cluster counts as stale that
 * much earlier than its own heartbeat window ends: the alarm then fires when the window ends, as
 * the per-cluster alarm it replaces did. Never before one missed run (plus grace), or a healthy
 * cluster between two runs would count.
 */
export function staleAfterSeconds(
  clusterPeriodSeconds: number,
  missedRuns: number,
  alarm: HeartbeatWindow,
): number {
  const own = windowSeconds(heartbeatWindow(clusterPeriodSeconds, missedRuns));
  const lead = (alarm.evaluationPeriods - 1) * alarm.periodSeconds;
  return Math.max(clusterPeriodSeconds, own - lead) + STALE_GRACE_SECONDS;
}

/** What the stale count needs to know of one cluster. */
export interface HeartbeatRecord {
  readonly cluster: string;
  /** Epoch ms the cluster's last successful run started; absent if it never completed. */
  readonly lastSuccessAt?: number;
  /** Epoch ms a run first saw the cluster in its config (the clock for one that never ran). */
  readonly firstSeenAt: number;
}

/**
 * Which of `clusters` are stale at `now`: last success (or, never run, first sighting) older
 * than their staleAfterSeconds. A cluster without a record is not counted: the run that reads
 * the records seeds one for it, so it counts from then on.
 */
export function countStale(
  clusters: readonly { readonly name: string; readonly periodSeconds: number }[],
  records: ReadonlyMap<string, HeartbeatRecord>,
  now: number,
  missedRuns: number,
  alarm: HeartbeatWindow,
): string[] {
  return clusters
    .filter((c) => {
      const record = records.get(c.name);
      if (!record) return false;
      const since = record.lastSuccessAt ?? record.firstSeenAt;
      return now - since > staleAfterSeconds(c.periodSeconds, missedRuns, alarm) * 1000;
    })
    .map((c) => c.name);
}

/** Environment variable naming the check function's heartbeat partition (its construct id). */
export const HEARTBEAT_GROUP_ENV = 'SKEWGUARD_HEARTBEAT_GROUP';

/** Environment variable with the stack's heartbeatMissedRuns. */
export const HEARTBEAT_MISSED_RUNS_ENV = 'SKEWGUARD_HEARTBEAT_MISSED_RUNS';

/** Defaults when the variables are absent (CLI, tests): the stack's defaults. */
export const DEFAULT_HEARTBEAT = { group: 'Check', missedRuns: 3 } as const;

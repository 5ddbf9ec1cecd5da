/** Retry windows and heartbeat alarm shapes derived from a schedule's period (pure arithmetic). */

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
const WEEK = 7 * DAY;

/** Scheduler's maximumEventAgeInSeconds: about one period, within Scheduler's 60 s – 24 h. */
export function scheduleEventAgeSeconds(periodSeconds: number): number {
  return Math.min(DAY, Math.max(MINUTE, periodSeconds));
}

/** Lambda's async maxEventAge for a function whose shortest cluster period is given (60 s – 6 h). */
export function lambdaEventAgeSeconds(shortestPeriodSeconds: number): number {
  return Math.min(6 * HOUR, Math.max(MINUTE, shortestPeriodSeconds));
}

/** How a heartbeat alarm looks at a cluster's CheckCompleted metric. */
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

/** Retry windows derived from a schedule's period (pure arithmetic); heartbeat shapes live in lib/util. */
export { heartbeatWindow } from '../util/heartbeat';
export type { HeartbeatWindow } from '../util/heartbeat';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** Scheduler's maximumEventAgeInSeconds: about one period, within Scheduler's 60 s – 24 h. */
export function scheduleEventAgeSeconds(periodSeconds: number): number {
  return Math.min(DAY, Math.max(MINUTE, periodSeconds));
}

/** Lambda's async maxEventAge for a function whose shortest cluster period is given (60 s – 6 h). */
export function lambdaEventAgeSeconds(shortestPeriodSeconds: number): number {
  return Math.min(6 * HOUR, Math.max(MINUTE, shortestPeriodSeconds));
}

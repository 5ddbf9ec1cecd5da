/** The skewguard config: one schema shared by the CDK app, the Lambda and the CLI. */
export type * from './types';
export { AUDIENCES } from './types';
export { ConfigError, formatPath } from './errors';
export type { ConfigIssue } from './errors';
export {
  CHAT_SUBSCRIBED_ENV,
  CONFIG_ENV,
  CONFIG_FILE_ENV,
  loadConfig,
  loadConfigFromEnvironment,
  MAX_CONFIG_BYTES,
  parseConfig,
} from './load';
export type { ConfigSource } from './load';
export { findCluster, policyFor } from './cluster';
export { toConfigDocument } from './document';
export type { ConfigDocument } from './schema';
export { CONFIG_LIST_LIMITS, isUrlOf, unknownRuleIdMessage } from './schema';
export { parseDuration, formatDuration, DURATION_FORMAT } from './duration';
export { parseSchedule, MAX_SCHEDULE_PERIOD_SECONDS } from './schedule';
export {
  MAX_WINDOW_SECONDS,
  parseWindowCron,
  windowEndAt,
  WINDOW_CRON_FORMAT,
} from './maintenance';
export type { ScheduleSpec } from './schedule';
export { ampWorkspaceFromUrl, regionOfArn } from './aws-names';
export type { AmpWorkspace } from './aws-names';
export { DEFAULT_SCHEDULE, DEFAULT_REPEAT_INTERVAL, DEFAULT_EMAIL_MIN_SEVERITY } from './normalize';

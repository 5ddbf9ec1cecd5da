/** CDK constructs and the stack skewguard deploys. */
export { Skewguard, DEFAULT_ENTRY, DEFAULT_PAGERDUTY_ENTRY } from './skewguard';
export type { SkewguardProps } from './skewguard';
export { SkewguardStack } from './skewguard-stack';
export type { SkewguardStackProps } from './skewguard-stack';
export { CheckFunction, BUNDLED_CONFIG_PATH, LEDGER_ACTIONS } from './check-function';
export { ClusterStack, READER_GROUP, EKS_VIEW_POLICY_ARN } from './cluster-stack';
export { Notifications, filterPolicy, severitiesFrom } from './notifications';
export { PagerDutyForwarder } from './pagerduty-forwarder';
export type { PagerDutyForwarderProps } from './pagerduty-forwarder';
export { SkewguardDashboard } from './dashboard';
export * from '../util/metrics';
export { heartbeatWindow, scheduleEventAgeSeconds, lambdaEventAgeSeconds } from './timing';
export { groupByPlacement, bucketClusters } from './placement';
export { resourcesOf } from './permissions';

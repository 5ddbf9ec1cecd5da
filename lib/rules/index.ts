/** The shared, pure rules package: model, version parsing, policy data, rules and the engine. */
export * from './model';
export * from './policy';
export * from './rule';
export * from './version';
export * from './skew-policy';
export { evaluate, sortFindings } from './evaluate';
export { RULES, findRule } from './registry';
export { forWindowsOf } from './for-windows';
export { fingerprint } from './fingerprint';
export { materialState, resolvedSummary } from './resolved';
export * from './incident';
export { formatDuration } from './duration';
export { PROBLEM_WAITING_REASONS } from './rollout/pods';
export * from './plan';

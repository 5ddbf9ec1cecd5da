/** The Prometheus source: what callers outside this folder use to read a cluster from a Prometheus HTTP API. */
export type { PrometheusAuth } from './auth';
export { cliPrometheusAuth } from './auth';
export type { PrometheusRequestPolicy } from './client';
export type { PrometheusCollectOptions, PrometheusCollection, QueryTiming } from './collect';
export { collectFromPrometheus } from './collect';
export { clusterNameOfSelector, parseSelector } from './selector';

/** Per-cluster views of the config that the pipeline needs. */
import type { Policy } from '../rules';
import { ConfigError } from './errors';
import type { ClusterConfig, SkewguardConfig } from './types';

/** The cluster named `name`; a ConfigError listing the known names when there is none. */
export function findCluster(config: SkewguardConfig, name: string): ClusterConfig {
  const cluster = config.clusters.find((c) => c.name === name);
  if (cluster) return cluster;
  const known = config.clusters.map((c) => c.name).join(', ');
  throw new ConfigError('config', [
    {
      path: 'clusters',
      message: `no cluster is named ${JSON.stringify(name)}; known clusters: ${known}. Use one of them, or add the cluster to the config and deploy again`,
    },
  ]);
}

/** The rules policy of one cluster: its overrides, the runbook base URL and excluded namespaces. */
export function policyFor(config: SkewguardConfig, clusterName: string): Policy {
  const cluster = findCluster(config, clusterName);
  return {
    rules: cluster.rules,
    runbookBaseUrl: config.defaults.runbookBaseUrl,
    excludedNamespaces: cluster.excludedNamespaces,
  };
}

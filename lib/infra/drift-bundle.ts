/**
 * The drift folders of a config, staged for the check function's bundle: each cluster's rendered
 * manifests travel with the code, so every deploy makes that commit's manifests the desired state.
 * Secrets and ConfigMaps are refused here, at synth, so their data never reaches the bundle.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { InputError } from '../collect/errors';
import { manifestFiles, readManifests, refusedObjects } from '../collect/manifests';
import type { ClusterConfig } from '../config';

/** The folder, inside the function's code, that holds one folder of manifests per cluster. */
export const BUNDLED_DRIFT_DIR = 'drift';

/** Where a cluster's manifests are in the bundle, relative to the function's code. */
export function bundledDriftPath(cluster: string): string {
  return `${BUNDLED_DRIFT_DIR}/${cluster}`;
}

/** The clusters with their drift folders pointing into the bundle, as the Lambda reads them. */
export function withBundledDrift(clusters: readonly ClusterConfig[]): ClusterConfig[] {
  return clusters.map((c) =>
    c.drift ? { ...c, drift: { ...c.drift, manifests: bundledDriftPath(c.name) } } : c,
  );
}

/**
 * Copies each cluster's manifest files to `<into>/drift/<cluster>/`, keeping their relative
 * paths; throws naming the cluster, the file and the kind when a folder holds a Secret or a
 * ConfigMap, or when it cannot be read or holds no workload.
 */
export function stageDrift(clusters: readonly ClusterConfig[], into: string): boolean {
  let staged = false;
  for (const cluster of clusters) {
    const drift = cluster.drift;
    if (!drift) continue;
    const where = `clusters[${cluster.name}].drift.manifests (${drift.manifests})`;
    try {
      const [refused] = refusedObjects(drift.manifests);
      if (refused) {
        throw new Error(
          `${where}: ${refused.file} holds a ${refused.kind} (${refused.name}); Secrets and ConfigMap data are never bundled with the check function: keep them out of the drift folder (render the workloads alone, e.g. drop them from the kustomization or helm template --show-only the workloads)`,
        );
      }
      readManifests(drift.manifests);
      for (const file of manifestFiles(drift.manifests)) {
        const target = join(
          into,
          bundledDriftPath(cluster.name),
          relative(drift.manifests, file) || 'manifest.yaml',
        );
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(file, target);
      }
      staged = true;
    } catch (error) {
      if (error instanceof InputError)
        throw new Error(`${where}: ${error.message}`, { cause: error });
      throw error;
    }
  }
  return staged;
}

/** `--save-snapshot`: the objects a live read collected, as JSON that `--from-file` replays. */
import { writeFile } from 'node:fs/promises';
import type { KubeObjects } from '../kube-objects';

/** The apiVersion and kind of the document that describes a saved snapshot. */
export const SNAPSHOT_INFO = { apiVersion: 'skewguard.io/v1', kind: 'SkewguardSnapshot' } as const;

/** What a saved snapshot records besides the objects, so a replay reads as the live run did. */
export interface SnapshotInfo {
  /** The cluster the live run named (its kube context, or --cluster): fingerprints stay equal. */
  readonly cluster: string;
  readonly collectedAt: string;
  /** What the live read said about its coverage, e.g. that pods were read only in part. */
  readonly notes: readonly string[];
}

/**
 * The collected objects as documents `--from-file` replays: the snapshot's description, then
 * `kubectl version -o json`-style version output, then one kubectl-style List with every object
 * (each with its kind).
 */
export function savedDocuments(objects: KubeObjects, info?: SnapshotInfo): unknown[] {
  const items = [
    ...objects.nodes,
    ...objects.pods,
    ...objects.deployments,
    ...objects.statefulsets,
    ...objects.daemonsets,
    ...objects.replicasets,
    ...objects.applications,
    ...objects.kustomizations,
    ...objects.helmreleases,
    ...(objects.autoscalers ?? []),
  ];
  return [
    ...(info ? [{ ...SNAPSHOT_INFO, ...info, notes: [...info.notes] }] : []),
    ...(objects.version ? [{ serverVersion: objects.version }] : []),
    { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items },
  ];
}

/** Writes the saved snapshot as JSON to `file`. */
export async function saveSnapshot(
  file: string,
  objects: KubeObjects,
  info?: SnapshotInfo,
): Promise<void> {
  await writeFile(file, `${JSON.stringify(savedDocuments(objects, info))}\n`);
}

import { writeFile } from 'node:fs/promises';
import type { KubeObjects } from './snapshot';

/**
 * The collected objects as documents `--from-file` replays: `kubectl version -o json`-style
 * version output, then one kubectl-style List with every object (each with its kind).
 */
export function savedDocuments(objects: KubeObjects): unknown[] {
  const items = [
    ...objects.nodes,
    ...objects.pods,
    ...objects.deployments,
    ...objects.statefulsets,
    ...objects.daemonsets,
    ...objects.replicasets,
  ];
  return [
    ...(objects.version ? [{ serverVersion: objects.version }] : []),
    { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items },
  ];
}

/** Writes the saved snapshot as JSON to `file`. */
export async function saveSnapshot(file: string, objects: KubeObjects): Promise<void> {
  await writeFile(file, `${JSON.stringify(savedDocuments(objects))}\n`);
}

/** Which workload owns a pod: its owner reference, followed through a ReplicaSet to its Deployment. */
import type { OwnerRef, PodInfo } from '../../rules/model';

/**
 * The workload of a pod owned by `owner` in `namespace`, or undefined when it has none the rules
 * judge (a bare pod, a Job, a ReplicaSet without a Deployment). `replicaSetOwners` maps
 * `namespace/name` of each ReplicaSet to its own owner.
 */
export function workloadOfOwner(
  namespace: string,
  owner: OwnerRef | undefined,
  replicaSetOwners: ReadonlyMap<string, OwnerRef>,
): PodInfo['workload'] {
  if (!owner) return undefined;
  if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet' || owner.kind === 'Deployment') {
    return { kind: owner.kind, name: owner.name };
  }
  if (owner.kind !== 'ReplicaSet') return undefined;
  const rsOwner = replicaSetOwners.get(`${namespace}/${owner.name}`);
  return rsOwner?.kind === 'Deployment' ? { kind: 'Deployment', name: rsOwner.name } : undefined;
}

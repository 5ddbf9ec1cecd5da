/** Wording and evidence every diagnosed rollout finding shares: revision, old pods, commands. */
import type { Workload } from '../model';
import type { RolloutCause } from './cause';
import { rolloutCommands } from './commands';
import type { RolloutView } from './workloads';
import { qualifiedName } from './workloads';

/** `; 5/5 old pods still serve` when old-revision pods exist, else ''. */
export function servingText(view: RolloutView): string {
  const old = view.oldServing;
  if (!old || old.total === 0) return '';
  if (old.ready === 0) return `; none of the ${old.total} old pods is ready`;
  return `; ${old.ready}/${old.total} old pods still serve`;
}

/** `Deployment shop/web`. */
export function workloadLabel(workload: Workload): string {
  return `${workload.kind} ${qualifiedName(workload)}`;
}

/** ` to revision 7`, or '' when the revision is unknown. */
export function revisionText(view: RolloutView): string {
  return view.revision !== undefined ? ` to revision ${view.revision}` : '';
}

/**
 * Evidence every diagnosed rollout finding carries: target revision, new ReplicaSet, old pods
 * still serving, the cause, and kubectl commands with the real names filled in.
 */
export function rolloutEvidence(view: RolloutView, cause: RolloutCause): Record<string, unknown> {
  return {
    ...(view.revision !== undefined ? { revision: view.revision } : {}),
    ...(view.newReplicaSet
      ? {
          newReplicaSet: view.newReplicaSet.name,
          newReplicaSetImages: view.newReplicaSet.images,
        }
      : {}),
    ...(view.newPods ? { newPods: view.newPods.length } : {}),
    ...(view.oldServing ? { oldPods: view.oldServing } : {}),
    cause,
    commands: rolloutCommands(view, cause),
  };
}

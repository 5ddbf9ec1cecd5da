/** The rollout half of the catalogue, in the order of the README's rule table. */
import type { Rule } from '../rule';
import { DaemonSetGenerationMismatch } from './daemonset-generation-mismatch';
import { DaemonSetMisScheduled } from './daemonset-misscheduled';
import { DaemonSetNotScheduled } from './daemonset-not-scheduled';
import { DaemonSetRolloutStuck } from './daemonset-rollout-stuck';
import { DeploymentGenerationMismatch } from './deployment-generation-mismatch';
import { DeploymentReplicasMismatch } from './deployment-replicas-mismatch';
import { DeploymentRolloutStuck } from './deployment-rollout-stuck';
import { PodCrashLooping } from './pod-crash-looping';
import { StatefulSetGenerationMismatch } from './statefulset-generation-mismatch';
import { StatefulSetReplicasMismatch } from './statefulset-replicas-mismatch';
import { StatefulSetUpdateNotRolledOut } from './statefulset-update-not-rolled-out';

/** The rollout half of the catalogue, in the order of the README's rule table. */
export const ROLLOUT_RULES: readonly Rule[] = [
  DeploymentGenerationMismatch,
  StatefulSetGenerationMismatch,
  DaemonSetGenerationMismatch,
  DeploymentRolloutStuck,
  DeploymentReplicasMismatch,
  StatefulSetReplicasMismatch,
  StatefulSetUpdateNotRolledOut,
  DaemonSetRolloutStuck,
  DaemonSetNotScheduled,
  DaemonSetMisScheduled,
  PodCrashLooping,
];

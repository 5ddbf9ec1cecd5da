/** The kube-state-metrics families of each workload kind, and each rollout condition as a PromQL filter. */
import type { RolloutCondition, SnapshotPart } from '../../rules/model';

/** The workload kinds kube-state-metrics reports, and how each is queried. */
export interface KindSpec {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  /** The label kube-state-metrics puts the object's name in. */
  readonly label: 'deployment' | 'statefulset' | 'daemonset';
  readonly prefix: string;
  readonly part: SnapshotPart;
  /** Metric name suffixes read for an offending workload. */
  readonly fields: readonly string[];
  /** Each rollout condition as a filter: the workloads for which it holds. */
  readonly conditions: Readonly<Partial<Record<RolloutCondition, (m: Agg) => string>>>;
}

/**
 * `max by (namespace, <kind>, ...by) (<prefix>_<suffix>{selector, ...matchers})`: one series per
 * object, whichever kube-state-metrics replica or scrape job reported it.
 */
export type Agg = (suffix: string, matchers?: readonly string[], by?: readonly string[]) => string;

/** The kube-state-metrics families per workload kind. */
export const KINDS: readonly KindSpec[] = [
  {
    kind: 'Deployment',
    label: 'deployment',
    prefix: 'kube_deployment',
    part: 'deployments',
    fields: [
      'metadata_generation',
      'status_observed_generation',
      'spec_replicas',
      'status_replicas',
      'status_replicas_ready',
      'status_replicas_available',
      'status_replicas_unavailable',
      'status_replicas_updated',
      'status_condition',
      'spec_paused',
      'spec_strategy_rollingupdate_max_unavailable',
      'created',
      'annotations',
    ],
    conditions: {
      generationMismatch: (m) => `${m('metadata_generation')} > ${m('status_observed_generation')}`,
      replicasMismatch: (m) => `${m('spec_replicas')} > ${m('status_replicas_available')}`,
      // The deployment controller sets Progressing=False only with ProgressDeadlineExceeded.
      rolloutStuck: (m) =>
        `${m('status_condition', ['condition="Progressing"', 'status="false"'])} == 1`,
    },
  },
  {
    kind: 'StatefulSet',
    label: 'statefulset',
    prefix: 'kube_statefulset',
    part: 'statefulsets',
    fields: [
      'metadata_generation',
      'status_observed_generation',
      'replicas',
      'status_replicas',
      'status_replicas_ready',
      'status_replicas_current',
      'status_replicas_updated',
      'status_replicas_available',
      'status_current_revision',
      'status_update_revision',
      'created',
    ],
    conditions: {
      generationMismatch: (m) => `${m('metadata_generation')} > ${m('status_observed_generation')}`,
      replicasMismatch: (m) => `${m('replicas')} > ${m('status_replicas_ready')}`,
      updateNotRolledOut: (m) =>
        `(count by (namespace, statefulset) (${m('status_current_revision', [], ['revision'])} unless on (namespace, statefulset, revision) ${m('status_update_revision', [], ['revision'])}))` +
        ` and on (namespace, statefulset) (${m('status_replicas_updated')} < ${m('replicas')})`,
    },
  },
  {
    kind: 'DaemonSet',
    label: 'daemonset',
    prefix: 'kube_daemonset',
    part: 'daemonsets',
    fields: [
      'metadata_generation',
      'status_observed_generation',
      'status_desired_number_scheduled',
      'status_current_number_scheduled',
      'status_updated_number_scheduled',
      'status_number_available',
      'status_number_ready',
      'status_number_misscheduled',
      'status_number_unavailable',
      'created',
    ],
    conditions: {
      generationMismatch: (m) => `${m('metadata_generation')} > ${m('status_observed_generation')}`,
      rolloutStuck: (m) =>
        `(${m('status_desired_number_scheduled')} > ${m('status_updated_number_scheduled')})` +
        ` or (${m('status_desired_number_scheduled')} > ${m('status_number_available')})`,
      notScheduled: (m) =>
        `${m('status_desired_number_scheduled')} > ${m('status_current_number_scheduled')}`,
      misscheduled: (m) => `${m('status_number_misscheduled')} > 0`,
    },
  },
];

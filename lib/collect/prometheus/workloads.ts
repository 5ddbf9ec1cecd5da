/** Offending Deployments, StatefulSets and DaemonSets from kube-state-metrics, with when each rollout condition began. */
import type {
  Condition,
  DaemonSetInfo,
  DeploymentInfo,
  RolloutCondition,
  StatefulSetInfo,
  Workload,
  WorkloadBase,
} from '../../rules/model';
import { opt } from '../../util/opt';
import type { Sample } from './types';
import type { KindSpec } from './kinds';
import type { QuerySettings } from './queries';
import { CONDITION_LABEL, EDGE_LABEL } from './queries';
import { ObjectSeries, groupByObject, iso } from './series';

export function readWorkloads(
  kind: KindSpec,
  fields: readonly Sample[],
  since: readonly Sample[],
  settings: QuerySettings,
  evaluatedAt: number,
): Workload[] {
  const sinceByObject = readSince(kind, since, settings, evaluatedAt);
  const workloads: Workload[] = [];
  for (const [key, group] of groupByObject(fields, kind.label)) {
    const [namespace = '', name = ''] = key.split('/');
    const f = new ObjectSeries(kind.prefix, group);
    const conditionSince = sinceByObject.get(key) ?? {};
    const base: WorkloadBase = {
      namespace,
      name,
      ...opt('generation', f.num('metadata_generation')),
      ...opt('observedGeneration', f.num('status_observed_generation')),
      labels: {},
      selector: {},
      conditions: conditionsOf(f, conditionSince),
      ...opt('createdAt', f.time('created')),
      ...(Object.keys(conditionSince).length > 0 ? { conditionSince } : {}),
    };
    workloads.push(workloadOf(kind.kind, base, f));
  }
  return workloads.sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
}

function workloadOf(kind: KindSpec['kind'], base: WorkloadBase, f: ObjectSeries): Workload {
  const n = (suffix: string): number => f.num(suffix) ?? 0;
  switch (kind) {
    case 'Deployment': {
      const revision = f.label('annotations', 'annotation_deployment_kubernetes_io_revision');
      const d: DeploymentInfo = {
        ...base,
        kind,
        replicas: f.num('spec_replicas') ?? 1,
        updatedReplicas: n('status_replicas_updated'),
        readyReplicas: n('status_replicas_ready'),
        availableReplicas: n('status_replicas_available'),
        unavailableReplicas: n('status_replicas_unavailable'),
        paused: f.num('spec_paused') === 1,
        // kube-state-metrics exports the rolling-update parameters only for RollingUpdate.
        strategy: f.has('spec_strategy_rollingupdate_max_unavailable')
          ? 'RollingUpdate'
          : 'Recreate',
        ...opt('revision', revision),
      };
      return d;
    }
    case 'StatefulSet': {
      const ready = n('status_replicas_ready');
      const s: StatefulSetInfo = {
        ...base,
        kind,
        replicas: f.num('replicas') ?? 1,
        readyReplicas: ready,
        currentReplicas: n('status_replicas_current'),
        updatedReplicas: n('status_replicas_updated'),
        availableReplicas: f.num('status_replicas_available') ?? ready,
        ...opt('currentRevision', f.label('status_current_revision', 'revision')),
        ...opt('updateRevision', f.label('status_update_revision', 'revision')),
        // Not exported by kube-state-metrics; RollingUpdate is the API default.
        updateStrategy: 'RollingUpdate',
      };
      return s;
    }
    case 'DaemonSet': {
      const ds: DaemonSetInfo = {
        ...base,
        kind,
        desiredNumberScheduled: n('status_desired_number_scheduled'),
        currentNumberScheduled: n('status_current_number_scheduled'),
        updatedNumberScheduled: n('status_updated_number_scheduled'),
        numberAvailable: n('status_number_available'),
        numberReady: n('status_number_ready'),
        numberMisscheduled: n('status_number_misscheduled'),
        numberUnavailable: n('status_number_unavailable'),
        // Not exported by kube-state-metrics; RollingUpdate is the API default.
        updateStrategy: 'RollingUpdate',
      };
      return ds;
    }
  }
}

/**
 * The workload's conditions from kube_deployment_status_condition (Deployments only). Their
 * transition times are not exported; Progressing=False is dated from history instead.
 */
function conditionsOf(
  f: ObjectSeries,
  since: Partial<Record<RolloutCondition, string>>,
): Condition[] {
  const seen = new Set<string>();
  return f.active('status_condition').flatMap((m): Condition[] => {
    const type = m['condition'];
    // Replicated exporters report each condition once per replica.
    if (!type || seen.has(type)) return [];
    seen.add(type);
    const status = { true: 'True', false: 'False', unknown: 'Unknown' }[m['status'] ?? ''] as
      Condition['status'] | undefined;
    if (!type || !status) return [];
    const stuck = type === 'Progressing' && status === 'False';
    // The deployment controller sets Progressing=False only with ProgressDeadlineExceeded;
    // kube-state-metrics before 2.10 has no reason label.
    const reason = m['reason'] || (stuck ? 'ProgressDeadlineExceeded' : undefined);
    return [
      {
        type,
        status,
        ...opt('reason', reason),
        ...(stuck && since.rolloutStuck ? { lastTransitionTime: since.rolloutStuck } : {}),
      },
    ];
  });
}

/**
 * When each condition that holds now began: one subquery step after it last did not hold, or
 * when it was first seen in the lookback. Precision: the true start lies within the step before
 * the estimate, so a condition never looks older than it is (it may look up to one step, 1m by
 * default, plus one scrape interval younger). A condition older than the lookback (1h by
 * default) is dated to the lookback start: "at least that long". Never later than the
 * evaluation time.
 */
function readSince(
  kind: KindSpec,
  samples: readonly Sample[],
  settings: QuerySettings,
  evaluatedAt: number,
): Map<string, Partial<Record<RolloutCondition, string>>> {
  const edges = new Map<string, { lastFalse?: number; firstTrue?: number }>();
  for (const s of samples) {
    const name = s.metric[kind.label];
    const condition = s.metric[CONDITION_LABEL];
    const edge = s.metric[EDGE_LABEL];
    if (!name || !condition || !Number.isFinite(s.value)) continue;
    const key = `${s.metric['namespace'] ?? ''}/${name}\u0000${condition}`;
    const entry = edges.get(key) ?? {};
    if (edge === 'last_false') entry.lastFalse = Math.max(entry.lastFalse ?? -Infinity, s.value);
    if (edge === 'first_true') entry.firstTrue = Math.min(entry.firstTrue ?? Infinity, s.value);
    edges.set(key, entry);
  }
  const out = new Map<string, Partial<Record<RolloutCondition, string>>>();
  for (const [key, { lastFalse, firstTrue }] of edges) {
    const [object = '', condition = ''] = key.split('\u0000');
    const startS = lastFalse !== undefined ? lastFalse + settings.stepSeconds : firstTrue;
    if (startS === undefined) continue;
    const since = iso(Math.min(startS * 1000, evaluatedAt));
    out.set(object, { ...out.get(object), [condition]: since });
  }
  return out;
}

/**
 * Deployments (with their ReplicaSets), StatefulSets and DaemonSets with the pods they run,
 * built from a plan of revisions and pod placements: every status count and condition is
 * derived from the pods, so a workload's status always agrees with what it runs.
 */
import type { ContainerRun } from './containers';
import type { Cluster, JsonObject } from './documents';
import { defined } from './documents';
import { at, nameSuffix, resourceVersion, uid } from './ids';
import type { Owner } from './owners';
import { controllerRef, ownerOf } from './owners';
import type { PodNode, PodTemplate } from './pods';
import { podObject, templateJson } from './pods';

/** What a workload's metadata says beyond its name: times, generation, labels, owner. */
interface MetaFields {
  readonly created: string;
  readonly generation: number;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly owner?: Owner;
}

/**
 * The uid and resourceVersion of a workload: derived from its kind and name and the time of its
 * last write, or given (the rollout fixtures keep the ids they were first written with).
 */
type MetaIds =
  { readonly lastWrite: string } | { readonly uid: string; readonly resourceVersion: string };

/** The object metadata the API server keeps for every workload. */
export function workloadMeta(
  namespace: string,
  name: string,
  kind: string,
  fields: MetaFields & MetaIds,
): JsonObject {
  const seed = `${kind}:${namespace}/${name}`;
  return defined({
    annotations: fields.annotations,
    creationTimestamp: fields.created,
    generation: fields.generation,
    labels: fields.labels,
    name,
    namespace,
    ownerReferences: fields.owner ? [controllerRef(fields.owner)] : undefined,
    resourceVersion:
      'lastWrite' in fields ? resourceVersion(fields.lastWrite, seed) : fields.resourceVersion,
    uid: 'lastWrite' in fields ? uid(seed) : fields.uid,
  });
}

/** A Deployment, StatefulSet or DaemonSet condition; Deployments also carry lastUpdateTime. */
export function workloadCondition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  lastTransitionTime: string,
  lastUpdateTime?: string,
): JsonObject {
  return defined({ lastTransitionTime, lastUpdateTime, message, reason, status, type });
}

/** Deployment Available, True or False, in the Deployment controller's wording. */
export function availableCondition(ok: boolean, since: string): JsonObject {
  return ok
    ? workloadCondition(
        'Available',
        'True',
        'MinimumReplicasAvailable',
        'Deployment has minimum availability.',
        since,
        since,
      )
    : workloadCondition(
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
        since,
        since,
      );
}

/** The forms Deployment Progressing takes, by what the newest ReplicaSet is doing. */
export type ProgressingForm = 'complete' | 'progressing' | 'deadline' | 'paused';

const PROGRESSING: Readonly<
  Record<
    ProgressingForm,
    (replicaSet: string) => [status: 'True' | 'False' | 'Unknown', reason: string, message: string]
  >
> = {
  complete: (rs) => [
    'True',
    'NewReplicaSetAvailable',
    `ReplicaSet "${rs}" has successfully progressed.`,
  ],
  progressing: (rs) => ['True', 'ReplicaSetUpdated', `ReplicaSet "${rs}" is progressing.`],
  deadline: (rs) => [
    'False',
    'ProgressDeadlineExceeded',
    `ReplicaSet "${rs}" has timed out progressing.`,
  ],
  paused: () => ['Unknown', 'DeploymentPaused', 'Deployment is paused'],
};

/** Deployment Progressing in the controller's wording: since its last transition, last `updated`. */
export function progressingCondition(
  form: ProgressingForm,
  replicaSet: string,
  since: string,
  updated = since,
): JsonObject {
  return workloadCondition('Progressing', ...PROGRESSING[form](replicaSet), since, updated);
}

/** A volumeClaimTemplates entry: a ReadWriteOnce filesystem claim of `storage` (API defaults). */
export function volumeClaimTemplate(
  name: string,
  storage: string,
  storageClassName: string,
): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { creationTimestamp: null, name },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage } },
      storageClassName,
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Pending' },
  };
}

const isReady = (run: ContainerRun): boolean => run.kind === 'running';

/** Where and when a pod of a revision was created, and how its one container runs. */
export interface PodPlacement {
  readonly node: PodNode;
  readonly created: string;
  readonly run: ContainerRun;
  /** The pod's name; default the ReplicaSet's name and a suffix derived from node and time. */
  readonly name?: string;
}

/** One revision of a Deployment: its ReplicaSet and the pods it still runs. */
export interface RevisionPlan {
  readonly revision: number;
  readonly hash: string;
  readonly image: string;
  readonly created: string;
  /** metadata.generation of the ReplicaSet: bumped by every scale. */
  readonly generation: number;
  readonly pods: readonly PodPlacement[];
}

/** What every workload plan names: the object's identity, labels and selector. */
export interface WorkloadPlan {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Annotations beyond the ones the controller records itself (a Helm release's, say). */
  readonly annotations?: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly created: string;
  /** metadata.generation, and the observedGeneration of a settled controller. */
  readonly generation: number;
}

/** A Deployment: its spec and the history of its revisions. */
export interface DeploymentPlan extends WorkloadPlan {
  readonly replicas: number;
  readonly strategy: JsonObject;
  /** The most pods a rollout may run: replicas + maxSurge (the max-replicas annotation). */
  readonly maxReplicas: number;
  readonly template: (image: string) => PodTemplate;
  /** Oldest first; the last one is the current revision. */
  readonly revisions: readonly RevisionPlan[];
  readonly availableSince: string;
  /**
   * The Progressing condition's last update: when the newest ReplicaSet finished rolling out
   * (`complete`), its last progress (`progressing`), or when it ran out of progressDeadlineSeconds
   * (`timedOut`).
   */
  readonly progressed: {
    readonly at: string;
    readonly state: 'complete' | 'progressing' | 'timedOut';
  };
}

/**
 * Progressing for the newest ReplicaSet: a timed-out rollout last transitioned when it ran out of
 * time; otherwise the condition has held since just before the ReplicaSet was created.
 */
function deploymentProgressing(plan: DeploymentPlan, current: RevisionPlan): JsonObject {
  const newRs = `${plan.name}-${current.hash}`;
  const { at: when, state } = plan.progressed;
  if (state === 'timedOut') return progressingCondition('deadline', newRs, when);
  return progressingCondition(state, newRs, at(current.created, -1), when);
}

/** A Deployment, a ReplicaSet per revision and the pods of each. */
export function deploymentObjects(
  plan: DeploymentPlan,
  cluster: Cluster,
): { deployment: JsonObject; replicaSets: JsonObject[]; pods: JsonObject[] } {
  const current = plan.revisions.at(-1);
  if (!current) throw new Error(`${plan.name}: a Deployment needs at least one revision`);
  const allPods = plan.revisions.flatMap((r) => r.pods);
  const ready = allPods.filter((p) => isReady(p.run)).length;
  const total = allPods.length;
  const deployment: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: workloadMeta(plan.namespace, plan.name, 'Deployment', {
      created: plan.created,
      lastWrite: plan.progressed.at,
      generation: plan.generation,
      labels: plan.labels,
      annotations: {
        ...plan.annotations,
        'deployment.kubernetes.io/revision': String(current.revision),
      },
    }),
    spec: {
      progressDeadlineSeconds: 600,
      replicas: plan.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: plan.selector },
      strategy: plan.strategy,
      template: templateJson(plan.template(current.image)),
    },
    status: defined({
      availableReplicas: ready,
      conditions: [
        availableCondition(true, plan.availableSince),
        deploymentProgressing(plan, current),
      ],
      observedGeneration: plan.generation,
      readyReplicas: ready,
      // status.replicas counts the pods of every revision; spec.replicas is the target.
      replicas: total,
      unavailableReplicas: total - ready > 0 ? total - ready : undefined,
      updatedReplicas: current.pods.length,
    }),
  };
  const deploymentOwner = ownerOf(deployment);
  const replicaSets: JsonObject[] = [];
  const pods: JsonObject[] = [];
  plan.revisions.forEach((revision, index) => {
    const rsName = `${plan.name}-${revision.hash}`;
    const template = plan.template(revision.image);
    const hashLabel = { 'pod-template-hash': revision.hash };
    const rsReady = revision.pods.filter((p) => isReady(p.run)).length;
    const lastPod = revision.pods
      .map((p) => p.created)
      .sort()
      .at(-1);
    const rs: JsonObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: workloadMeta(plan.namespace, rsName, 'ReplicaSet', {
        created: revision.created,
        // A scaled-down revision was last written when its successor scaled it to zero.
        lastWrite: lastPod ?? at(plan.revisions[index + 1]?.created ?? revision.created, 40),
        generation: revision.generation,
        labels: { ...template.labels, ...hashLabel },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(plan.replicas),
          'deployment.kubernetes.io/max-replicas': String(plan.maxReplicas),
          'deployment.kubernetes.io/revision': String(revision.revision),
        },
        owner: deploymentOwner,
      }),
      spec: {
        replicas: revision.pods.length,
        selector: { matchLabels: { ...plan.selector, ...hashLabel } },
        template: templateJson(template, hashLabel),
      },
      // Zero counts are omitted (omitempty), except replicas.
      status: defined({
        availableReplicas: rsReady || undefined,
        fullyLabeledReplicas: revision.pods.length || undefined,
        observedGeneration: revision.generation,
        readyReplicas: rsReady || undefined,
        replicas: revision.pods.length,
      }),
    };
    replicaSets.push(rs);
    const rsOwner = ownerOf(rs);
    for (const pod of revision.pods) {
      const name =
        pod.name ??
        `${rsName}-${nameSuffix(`${plan.namespace}/${rsName}/${pod.node.name}/${pod.created}`)}`;
      pods.push(
        podObject(
          {
            namespace: plan.namespace,
            name,
            generateName: `${rsName}-`,
            labels: { ...template.labels, ...hashLabel },
            owner: rsOwner,
            node: pod.node,
            created: pod.created,
            template,
            runs: { [String(template.spec.containers[0]?.['name'])]: pod.run },
          },
          cluster,
        ),
      );
    }
  });
  return { deployment, replicaSets, pods };
}

/** A StatefulSet mid-update or settled: two revisions (the same one when settled) and its pods. */
export interface StatefulSetPlan extends WorkloadPlan {
  readonly lastWrite: string;
  /** The headless Service that gives the pods their DNS names. */
  readonly serviceName: string;
  /** Revision names (`<name>-<hash>`); equal once the update has rolled out. */
  readonly currentRevision: string;
  readonly updateRevision: string;
  /** The pod template of a revision. */
  readonly template: (revision: string) => PodTemplate;
  /** spec.volumeClaimTemplates; each pod gets a claim `<template>-<pod>` per entry. */
  readonly volumeClaimTemplates?: readonly JsonObject[];
  /** By ordinal: where each pod runs, at which revision and how. */
  readonly pods: readonly (PodPlacement & { readonly revision: string })[];
}

/** A StatefulSet and its pods `<name>-0` … `<name>-N`. */
export function statefulSetObjects(
  plan: StatefulSetPlan,
  cluster: Cluster,
): { statefulSet: JsonObject; pods: JsonObject[] } {
  const count = (revision: string): number =>
    plan.pods.filter((p) => p.revision === revision).length;
  const ready = plan.pods.filter((p) => isReady(p.run)).length;
  const claims = (plan.volumeClaimTemplates ?? []).map((c) =>
    String((c['metadata'] as JsonObject)['name']),
  );
  const statefulSet: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: workloadMeta(plan.namespace, plan.name, 'StatefulSet', {
      created: plan.created,
      lastWrite: plan.lastWrite,
      generation: plan.generation,
      labels: plan.labels,
      annotations: plan.annotations,
    }),
    spec: defined({
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady',
      replicas: plan.pods.length,
      revisionHistoryLimit: 10,
      selector: { matchLabels: plan.selector },
      serviceName: plan.serviceName,
      template: templateJson(plan.template(plan.updateRevision)),
      updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
      volumeClaimTemplates: plan.volumeClaimTemplates ? [...plan.volumeClaimTemplates] : undefined,
    }),
    status: {
      availableReplicas: ready,
      collisionCount: 0,
      currentReplicas: count(plan.currentRevision),
      currentRevision: plan.currentRevision,
      observedGeneration: plan.generation,
      readyReplicas: ready,
      replicas: plan.pods.length,
      updateRevision: plan.updateRevision,
      updatedReplicas: count(plan.updateRevision),
    },
  };
  const owner = ownerOf(statefulSet);
  return {
    statefulSet,
    pods: plan.pods.map((p, ordinal) => {
      const template = plan.template(p.revision);
      const name = `${plan.name}-${ordinal}`;
      return podObject(
        {
          namespace: plan.namespace,
          name,
          generateName: `${plan.name}-`,
          labels: {
            ...template.labels,
            'apps.kubernetes.io/pod-index': String(ordinal),
            'controller-revision-hash': p.revision,
            'statefulset.kubernetes.io/pod-name': name,
          },
          owner,
          node: p.node,
          created: p.created,
          template,
          runs: { [String(template.spec.containers[0]?.['name'])]: p.run },
          statefulSet: { serviceName: plan.serviceName, claims },
        },
        cluster,
      );
    }),
  };
}

/** A DaemonSet: one pod on every node, all at the current template (its generation). */
export interface DaemonSetPlan extends WorkloadPlan {
  /** The pods' controller-revision-hash. */
  readonly revisionHash: string;
  /** When the current template rolled out to the nodes that existed then. */
  readonly updated: string;
  readonly updateStrategy: JsonObject;
  readonly template: PodTemplate;
  /** Per node: how its pod's containers run; nodes created after `updated` got their pod at join. */
  readonly runs: (node: PodNode, podCreated: string) => Record<string, ContainerRun>;
  /** The pod's name on a node; default the DaemonSet's name and a suffix derived from the node. */
  readonly podName?: (node: PodNode, index: number) => string;
}

/** The nodes a DaemonSet runs on: when each joined the cluster. */
export type DaemonSetNode = PodNode & { readonly created: string };

/** A DaemonSet and its pod on each of `nodes`. */
export function daemonSetObjects(
  plan: DaemonSetPlan,
  nodes: readonly DaemonSetNode[],
  cluster: Cluster,
): { daemonSet: JsonObject; pods: JsonObject[] } {
  const placements = nodes.map((n, index) => ({
    node: n,
    index,
    // Pods of nodes that joined later were created at join; the rest when the template changed.
    created: n.created > plan.updated ? at(n.created, 2) : at(plan.updated, index * 17),
  }));
  const runs = placements.map((p) => plan.runs(p.node, p.created));
  // Ready: every container runs (init containers have completed).
  const ready = runs.filter((r) =>
    Object.values(r).every((run) => run.kind === 'running' || run.kind === 'completed'),
  ).length;
  const daemonSet: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: workloadMeta(plan.namespace, plan.name, 'DaemonSet', {
      created: plan.created,
      lastWrite:
        placements
          .map((p) => at(p.created, 10))
          .sort()
          .at(-1) ?? plan.updated,
      generation: plan.generation,
      labels: plan.labels,
      annotations: {
        ...plan.annotations,
        'deprecated.daemonset.template.generation': String(plan.generation),
      },
    }),
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: plan.selector },
      template: templateJson(plan.template),
      updateStrategy: plan.updateStrategy,
    },
    status: {
      currentNumberScheduled: nodes.length,
      desiredNumberScheduled: nodes.length,
      numberAvailable: ready,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: plan.generation,
      updatedNumberScheduled: nodes.length,
    },
  };
  const owner = ownerOf(daemonSet);
  const pods = placements.map(({ node: n, index, created }, i) =>
    podObject(
      {
        namespace: plan.namespace,
        name:
          plan.podName?.(n, index) ??
          `${plan.name}-${nameSuffix(`${plan.namespace}/${plan.name}/${n.name}`)}`,
        generateName: `${plan.name}-`,
        labels: {
          ...plan.template.labels,
          'controller-revision-hash': plan.revisionHash,
          'pod-template-generation': String(plan.generation),
        },
        owner,
        node: n,
        created,
        template: plan.template,
        runs: runs[i]!,
        daemonSet: true,
      },
      cluster,
    ),
  );
  return { daemonSet, pods };
}

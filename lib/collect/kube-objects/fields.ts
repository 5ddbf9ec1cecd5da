/**
 * The fields of each Kubernetes list that the normalizers read, as one spec per list: what a live
 * read keeps of each object (slimObject) and what --save-snapshot writes.
 */
import type { Raw } from './raw';
import { isRecord } from './raw';
import type { ListKind } from './objects';

/**
 * Which fields of a raw object to keep: `true` keeps the value whole, an object keeps the named
 * fields (recursively), `[spec]` keeps those fields of every array element.
 */
export type FieldSpec = true | { readonly [field: string]: FieldSpec } | readonly [FieldSpec];

const CONDITIONS: FieldSpec = [
  {
    type: true,
    status: true,
    reason: true,
    message: true,
    lastTransitionTime: true,
    lastUpdateTime: true,
  },
];
const METADATA = {
  name: true,
  namespace: true,
  uid: true,
  generation: true,
  creationTimestamp: true,
  labels: true,
  ownerReferences: [{ apiVersion: true, kind: true, name: true, uid: true, controller: true }],
} as const;
const REVISION = { annotations: { 'deployment.kubernetes.io/revision': true } } as const;
const CONTAINERS: FieldSpec = [{ name: true, image: true }];
const CONTAINER_STATUSES: FieldSpec = [
  {
    name: true,
    image: true,
    ready: true,
    restartCount: true,
    state: true,
    lastState: { terminated: true },
  },
];

// Flux conditions and the managedFields entry that owns spec.suspend (its time dates a suspension).
const FLUX_METADATA = {
  ...METADATA,
  managedFields: [
    { manager: true, operation: true, time: true, fieldsV1: { 'f:spec': { 'f:suspend': true } } },
  ],
} as const;
const FLUX_STATUS = {
  conditions: CONDITIONS,
  lastAppliedRevision: true,
  lastAttemptedRevision: true,
} as const;

/**
 * Exactly the fields the normalizers above and buildSnapshot read, per list. The collector keeps
 * only these of each listed object (managedFields, pod specs and node image lists make up most of
 * a list and nothing reads them), and the slim objects still replay through `--from-file`.
 */
export const NORMALIZED_FIELDS: Readonly<Record<ListKind, FieldSpec>> = {
  nodes: {
    metadata: { name: true, uid: true, creationTimestamp: true, labels: true },
    status: {
      nodeInfo: {
        kubeletVersion: true,
        // Read only to say it is ignored (it merely copies the kubelet version).
        kubeProxyVersion: true,
        containerRuntimeVersion: true,
        osImage: true,
        kernelVersion: true,
        architecture: true,
      },
    },
  },
  pods: {
    metadata: METADATA,
    spec: { nodeName: true, containers: CONTAINERS, initContainers: CONTAINERS },
    status: {
      phase: true,
      startTime: true,
      conditions: CONDITIONS,
      containerStatuses: CONTAINER_STATUSES,
      initContainerStatuses: CONTAINER_STATUSES,
    },
  },
  deployments: {
    metadata: { ...METADATA, ...REVISION },
    spec: {
      replicas: true,
      paused: true,
      progressDeadlineSeconds: true,
      selector: { matchLabels: true },
      strategy: { type: true },
    },
    status: {
      observedGeneration: true,
      replicas: true,
      updatedReplicas: true,
      readyReplicas: true,
      availableReplicas: true,
      unavailableReplicas: true,
      conditions: CONDITIONS,
    },
  },
  statefulsets: {
    metadata: METADATA,
    spec: {
      replicas: true,
      selector: { matchLabels: true },
      updateStrategy: { type: true, rollingUpdate: { partition: true } },
    },
    status: {
      observedGeneration: true,
      replicas: true,
      readyReplicas: true,
      currentReplicas: true,
      updatedReplicas: true,
      availableReplicas: true,
      currentRevision: true,
      updateRevision: true,
      conditions: CONDITIONS,
    },
  },
  daemonsets: {
    metadata: METADATA,
    spec: { selector: { matchLabels: true }, updateStrategy: { type: true } },
    status: {
      observedGeneration: true,
      desiredNumberScheduled: true,
      currentNumberScheduled: true,
      updatedNumberScheduled: true,
      numberAvailable: true,
      numberReady: true,
      numberMisscheduled: true,
      numberUnavailable: true,
      conditions: CONDITIONS,
    },
  },
  replicasets: {
    metadata: { ...METADATA, ...REVISION },
    spec: { replicas: true, template: { spec: { containers: CONTAINERS } } },
    status: {
      replicas: true,
      readyReplicas: true,
      availableReplicas: true,
      conditions: CONDITIONS,
    },
  },
  applications: {
    metadata: METADATA,
    spec: { syncPolicy: { automated: true } },
    status: {
      sync: { status: true, revision: true, revisions: true },
      health: { status: true, message: true, lastTransitionTime: true },
      operationState: {
        phase: true,
        message: true,
        startedAt: true,
        finishedAt: true,
        retryCount: true,
      },
      reconciledAt: true,
      conditions: [{ type: true, message: true, lastTransitionTime: true }],
    },
  },
  kustomizations: { metadata: FLUX_METADATA, spec: { suspend: true }, status: FLUX_STATUS },
  helmreleases: {
    metadata: FLUX_METADATA,
    spec: { suspend: true },
    // v2 dropped lastAppliedRevision: the deployed release in history says what runs.
    status: { ...FLUX_STATUS, history: [{ chartVersion: true, status: true, version: true }] },
  },
};

/** The parts of `value` that `spec` names; values of the wrong shape are kept as they are. */
export function project(value: unknown, spec: FieldSpec): unknown {
  if (spec === true) return value;
  if (isFieldList(spec)) {
    if (!Array.isArray(value)) return value;
    const [each] = spec;
    return value.map((v: unknown) => (isRecord(v) ? project(v, each) : v));
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(spec)) {
    const v = value[key];
    const sub = spec[key];
    if (v !== undefined && sub !== undefined) out[key] = project(v, sub);
  }
  return out;
}

function isFieldList(spec: FieldSpec): spec is readonly [FieldSpec] {
  return Array.isArray(spec);
}

/**
 * A listed object reduced to NORMALIZED_FIELDS of its list, with `kind` and `apiVersion`
 * (list items omit them; the files collector needs `kind` to replay the object). With
 * `keepTemplate` a workload keeps its whole spec.template too, for drift against manifests.
 */
export function slimObject(
  list: ListKind,
  obj: Raw,
  kind: string,
  apiVersion: string,
  keepTemplate = false,
): Raw {
  const slim = project(obj, keepTemplate ? withTemplate(list) : NORMALIZED_FIELDS[list]) as Record<
    string,
    unknown
  >;
  return {
    kind: typeof obj['kind'] === 'string' ? obj['kind'] : kind,
    apiVersion: typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : apiVersion,
    ...slim,
  };
}

/** A workload list's fields plus spec.template whole: what drift against manifests compares. */
function withTemplate(list: ListKind): FieldSpec {
  const fields = NORMALIZED_FIELDS[list];
  if (fields === true || isFieldList(fields)) return fields;
  const spec = fields['spec'];
  return { ...fields, spec: { ...(isRecord(spec) ? spec : {}), template: true } };
}

/** The fields of a HorizontalPodAutoscaler drift reads: which workload it scales. */
export const AUTOSCALER_FIELDS: FieldSpec = {
  metadata: { name: true, namespace: true },
  spec: { scaleTargetRef: true },
};

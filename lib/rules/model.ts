/**
 * The normalized cluster model the rules read, and the findings and coverage they produce.
 * Collectors build a ClusterSnapshot; rules never see raw API objects.
 */
import type { ManifestsState } from './drift-model';
import type { GitOpsApp } from './gitops-model';
import type { DeprecatedApiRequest, EksAddon, PlatformSupport } from './readiness-model';
import type { MissingMetric, PartStatus, SnapshotPart, SourceStatus } from './source-model';

export * from './drift-model';
export * from './gitops-model';
export * from './readiness-model';
export * from './source-model';

/** How bad a finding is; ordered critical > warning > info. */
export type Severity = 'critical' | 'warning' | 'info';

/** All severities, worst first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

/** Rank of a severity for sorting and thresholds: critical 3, warning 2, info 1. */
export function severityRank(severity: Severity): number {
  return 3 - SEVERITIES.indexOf(severity);
}

/** Control-plane components whose versions are tracked per instance. */
export type ControlPlaneComponent =
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'cloud-controller-manager'
  | 'etcd';

/** A raw version string and where it was read (for provenance in findings). */
export interface VersionRef {
  readonly raw: string;
  /** E.g. `kubectl version serverVersion`, `pod kube-system/kube-proxy-abcde image`. */
  readonly source: string;
}

/** The kubectl a person uses against the cluster (part `kubectl`). */
export interface KubectlClient {
  /** `clientVersion.gitVersion`, with where it was read (a file, or the kubectl on PATH). */
  readonly version: VersionRef;
}

/** One running instance of a control-plane component. */
export interface ControlPlaneInstance {
  readonly component: ControlPlaneComponent;
  /** Pod name, Prometheus instance or `serverVersion` when the API answered as a whole. */
  readonly instance: string;
  readonly version: VersionRef;
  /** Node the instance runs on, when known. */
  readonly node?: string;
}

/** A node and the versions of its node components. */
export interface NodeInfo {
  readonly name: string;
  readonly kubeletVersion: VersionRef;
  /** From kube-proxy's own build info or pod image; never from nodeInfo.kubeProxyVersion. */
  readonly kubeProxyVersion?: VersionRef;
  /** Node group / pool from well-known labels (EKS, GKE, AKS, Karpenter, kOps). */
  readonly nodeGroup?: string;
  /** `nodeInfo.containerRuntimeVersion` / kube_node_info `container_runtime_version`. */
  readonly containerRuntime?: string;
  /** `nodeInfo.osImage` / kube_node_info `os_image`: what NodeOsEndOfLife matches. */
  readonly osImage?: string;
  /** `nodeInfo.kernelVersion` / kube_node_info `kernel_version` (evidence: `…amzn2…` is AL2). */
  readonly kernelVersion?: string;
  readonly architecture?: string;
  readonly createdAt?: string;
}

/** A Kubernetes-style condition with its timestamps. */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly lastUpdateTime?: string;
}

/** Reference to an owning object. */
export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

/**
 * Rollout conditions a source with history (Prometheus) can date: when each began, so `for`
 * durations hold in a one-shot run.
 */
export const ROLLOUT_CONDITIONS = [
  'generationMismatch',
  'replicasMismatch',
  'rolloutStuck',
  'updateNotRolledOut',
  'notScheduled',
  'misscheduled',
] as const;

/** One of ROLLOUT_CONDITIONS. */
export type RolloutCondition = (typeof ROLLOUT_CONDITIONS)[number];

/**
 * Everything a source with history dates: the rollout conditions per workload, how long each
 * version has run (`versions`, for the skew rules) and crash loops per container (`crashLoop`).
 */
export const DATED_CONDITIONS = [...ROLLOUT_CONDITIONS, 'versions', 'crashLoop'] as const;

/** One of DATED_CONDITIONS. */
export type DatedCondition = (typeof DATED_CONDITIONS)[number];

/** Fields every workload shares. */
export interface WorkloadBase {
  readonly namespace: string;
  readonly name: string;
  readonly generation?: number;
  readonly observedGeneration?: number;
  readonly labels: Readonly<Record<string, string>>;
  /** spec.selector.matchLabels, used to find the pods. */
  readonly selector: Readonly<Record<string, string>>;
  readonly conditions: readonly Condition[];
  readonly createdAt?: string;
  /**
   * When a condition that holds now began, from the source's history (ISO time). Absent when
   * the source has no history; a rule then dates the condition from timestamps if it can.
   */
  readonly conditionSince?: Readonly<Partial<Record<RolloutCondition, string>>>;
}

/** A Deployment's rollout state. */
export interface DeploymentInfo extends WorkloadBase {
  readonly kind: 'Deployment';
  /** spec.replicas (the API defaults it to 1). */
  readonly replicas: number;
  readonly updatedReplicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly unavailableReplicas: number;
  readonly paused: boolean;
  readonly strategy: 'RollingUpdate' | 'Recreate';
  /** The `deployment.kubernetes.io/revision` annotation. */
  readonly revision?: string;
  readonly progressDeadlineSeconds?: number;
}

/** A StatefulSet's rollout state. */
export interface StatefulSetInfo extends WorkloadBase {
  readonly kind: 'StatefulSet';
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly currentReplicas: number;
  readonly updatedReplicas: number;
  readonly availableReplicas: number;
  readonly currentRevision?: string;
  readonly updateRevision?: string;
  readonly updateStrategy: 'RollingUpdate' | 'OnDelete';
  readonly partition?: number;
}

/** A DaemonSet's rollout state. */
export interface DaemonSetInfo extends WorkloadBase {
  readonly kind: 'DaemonSet';
  readonly desiredNumberScheduled: number;
  readonly currentNumberScheduled: number;
  readonly updatedNumberScheduled: number;
  readonly numberAvailable: number;
  readonly numberReady: number;
  readonly numberMisscheduled: number;
  readonly numberUnavailable: number;
  readonly updateStrategy: 'RollingUpdate' | 'OnDelete';
  /** The newest ControllerRevision hash, when the source can tell (pods carry it as a label). */
  readonly updateRevision?: string;
}

/** Any workload whose rollout skewguard follows. */
export type Workload = DeploymentInfo | StatefulSetInfo | DaemonSetInfo;

/** A ReplicaSet: one revision of a Deployment. */
export interface ReplicaSetInfo {
  readonly namespace: string;
  readonly name: string;
  readonly owner?: OwnerRef;
  /** The `deployment.kubernetes.io/revision` annotation. */
  readonly revision?: string;
  readonly podTemplateHash?: string;
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly conditions: readonly Condition[];
  readonly images: readonly string[];
  readonly createdAt?: string;
}

/** A container's current state, as the kubelet reports it. */
export type ContainerState =
  | { readonly kind: 'waiting'; readonly reason?: string; readonly message?: string }
  | { readonly kind: 'running'; readonly startedAt?: string }
  | {
      readonly kind: 'terminated';
      readonly reason?: string;
      readonly exitCode?: number;
      readonly startedAt?: string;
      readonly finishedAt?: string;
    }
  | { readonly kind: 'unknown' };

/** How a container last ended, from lastState.terminated. */
export interface LastTermination {
  readonly reason?: string;
  readonly exitCode?: number;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

/** A container or init container of a pod. */
export interface ContainerInfo {
  readonly name: string;
  readonly image: string;
  readonly ready: boolean;
  readonly restartCount: number;
  readonly state: ContainerState;
  readonly lastTermination?: LastTermination;
  /**
   * When the container's crash loop began (waiting in CrashLoopBackOff or restarting within the
   * restart window at every step since), from a source with history; absent when unknown.
   */
  readonly crashLoopSince?: string;
}

/** A pod, reduced to what rollout diagnosis needs. */
export interface PodInfo {
  readonly namespace: string;
  readonly name: string;
  readonly nodeName?: string;
  readonly phase: string;
  /** The direct controller (ReplicaSet, StatefulSet, DaemonSet, Job, Node for static pods). */
  readonly owner?: OwnerRef;
  /** The workload the pod belongs to, resolved through its ReplicaSet when possible. */
  readonly workload?: { readonly kind: Workload['kind']; readonly name: string };
  readonly labels: Readonly<Record<string, string>>;
  readonly conditions: readonly Condition[];
  readonly containers: readonly ContainerInfo[];
  readonly initContainers: readonly ContainerInfo[];
  readonly createdAt?: string;
  readonly startTime?: string;
}

/** Everything a run knows about one cluster. */
export interface ClusterSnapshot {
  readonly cluster: string;
  /** ISO-8601 time the collection finished. */
  readonly collectedAt: string;
  readonly sources: readonly SourceStatus[];
  /** Which parts were collected; a part absent here counts as missing. */
  readonly parts: Readonly<Partial<Record<SnapshotPart, PartStatus>>>;
  /** Hosting provider when recognisable from versions or labels (eks, gke, aks, k3s, rke2). */
  readonly provider?: string;
  readonly controlPlane: readonly ControlPlaneInstance[];
  readonly nodes: readonly NodeInfo[];
  readonly workloads: readonly Workload[];
  readonly replicaSets: readonly ReplicaSetInfo[];
  readonly pods: readonly PodInfo[];
  /** Things a person should know about the input (ignored kinds, deprecated fields). */
  readonly notes: readonly string[];
  /** Series Prometheus lacks; the rules that need them are skipped and MetricsMissing fires. */
  readonly metricsMissing?: readonly MissingMetric[];
  /** Support facts of the platform (part `platform`). */
  readonly platform?: PlatformSupport;
  /** Deprecated APIs requested, from every source that saw them (part `deprecatedApis`). */
  readonly deprecatedApis?: readonly DeprecatedApiRequest[];
  /** EKS managed add-ons (part `addons`). */
  readonly addons?: readonly EksAddon[];
  /** How long each version has been seen without a break, from a source with history. */
  readonly versionHistory?: VersionHistory;
  /** The kubectl client checked against kube-apiserver (part `kubectl`). */
  readonly kubectl?: KubectlClient;
  /** Argo CD Applications and Flux Kustomizations and HelmReleases (part `gitops`). */
  readonly gitops?: readonly GitOpsApp[];
  /** Desired workloads from rendered manifests and their live twins (part `manifests`). */
  readonly manifests?: ManifestsState;
}

/**
 * Since when each version has been reported at every step of a source's history (Prometheus):
 * the start of its unbroken run inside the lookback, or the lookback's start when it ran through
 * all of it. A version seen with gaps, or not read, has no entry: its conditions stay pending
 * until the ledger has seen them hold. Keys: `1.30` for minors, `3.5.15` for etcd versions.
 */
export interface VersionHistory {
  /** kube-apiserver minors. */
  readonly apiserverMinors?: Readonly<Record<string, string>>;
  /** Minors of every component the skew policy covers (apiserver, control plane, kubelet, kube-proxy). */
  readonly componentMinors?: Readonly<Record<string, string>>;
  /** etcd server versions. */
  readonly etcdVersions?: Readonly<Record<string, string>>;
}

/** What a finding is about; part of its fingerprint. */
export interface Subject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** One problem a rule found (docs/architecture.md, "Finding"). */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly subject: Subject;
  /** Stable hash of cluster + ruleId + subject. */
  readonly fingerprint: string;
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** When the condition began, when the data can tell. */
  readonly since?: string;
  /** How long the condition must hold before it fires (the ledger applies it). */
  readonly forSeconds: number;
  readonly runbookUrl: string;
}

/** Whether a rule was evaluated in a run, or why not. */
export type CoverageEntry =
  | { readonly ruleId: string; readonly status: 'evaluated' }
  | {
      readonly ruleId: string;
      readonly status: 'skipped';
      readonly reason: string;
      /** The snapshot parts the rule needed and did not get, each with why (absent: the rule itself could not decide). */
      readonly unmet?: readonly UnmetInput[];
    }
  | {
      readonly ruleId: string;
      /**
       * Evaluated on incomplete input (a partial Prometheus answer, nodes whose version cannot
       * be parsed): its findings stand, but its silence proves nothing, so it resolves nothing.
       */
      readonly status: 'partial';
      readonly reason: string;
    }
  | { readonly ruleId: string; readonly status: 'disabled' };

/**
 * A snapshot part a rule needed and did not get: `missing` (not in the input, or its read
 * failed) or `notObservable` (a managed platform hides it, nothing to fix).
 */
export interface UnmetInput {
  readonly part: SnapshotPart;
  /** `notRequested`: an opt-in input the run was not given (manifests), not a gap to fix. */
  readonly state: 'missing' | 'notObservable' | 'notRequested';
  readonly reason: string;
}

/** The result of evaluating all rules on one snapshot. */
export interface Evaluation {
  readonly findings: readonly Finding[];
  readonly coverage: readonly CoverageEntry[];
  /** What the run relied on besides the snapshot: the shipped data tables used, and when stale. */
  readonly notes?: readonly string[];
}

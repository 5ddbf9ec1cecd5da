/** What the snapshot carries for drift against manifests: the desired workloads and a compact projection of their live twins. */

/** A workload kind the manifests are compared for. */
export type DriftKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** Every DriftKind, in the order findings name them. */
export const DRIFT_KINDS: readonly DriftKind[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** A JSON value, as a manifest or the API gives it. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Which workload an entry is about. */
export interface WorkloadKey {
  readonly kind: DriftKind;
  readonly namespace: string;
  readonly name: string;
}

/** One workload as the manifests want it: only what the manifest sets. */
export interface DesiredWorkload extends WorkloadKey {
  /** The manifest file it was read from, for the finding. */
  readonly file: string;
  /** True when the manifest had no metadata.namespace and the default namespace applied. */
  readonly namespaceDefaulted: boolean;
  /** spec.replicas, when the manifest sets it. */
  readonly replicas?: number;
  /** spec.template as written (absent when the manifest has none). */
  readonly template?: JsonValue;
}

/** The live twin of a desired workload, reduced to the fields drift compares. */
export interface LiveWorkload extends WorkloadKey {
  readonly replicas?: number;
  readonly template?: JsonValue;
}

/** A workload whose replicas a HorizontalPodAutoscaler owns. */
export interface AutoscaledWorkload extends WorkloadKey {
  /** The HPA's name. */
  readonly hpa: string;
}

/** Part `manifests`: desired workloads, their live twins, and who owns replicas. */
export interface ManifestsState {
  /** Where the manifests came from (a folder), for the summary. */
  readonly origin: string;
  readonly desired: readonly DesiredWorkload[];
  /** Live twins of the desired workloads; a desired workload without one is missing live. */
  readonly live: readonly LiveWorkload[];
  /**
   * Workloads an HPA scales. Absent when HPAs could not be read: then replicas are not compared
   * (a scaled workload would look drifted), and `autoscalersUnknown` says why.
   */
  readonly autoscaled?: readonly AutoscaledWorkload[];
  readonly autoscalersUnknown?: string;
}

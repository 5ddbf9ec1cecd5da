/** The raw Kubernetes objects of one collection, grouped by list, and the status of each list. */
import type { ReadFailure } from '../../rules/model';
import type { Raw } from './raw';

/** The GitOps controllers' lists: custom resources, absent from clusters without their CRDs. */
export const GITOPS_LISTS = ['applications', 'kustomizations', 'helmreleases'] as const;

/** One of GITOPS_LISTS. */
export type GitOpsList = (typeof GITOPS_LISTS)[number];

/** The Kubernetes lists a collector can gather. */
export const LIST_KINDS = [
  'nodes',
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  ...GITOPS_LISTS,
] as const;

/** One of LIST_KINDS. */
export type ListKind = (typeof LIST_KINDS)[number];

/** Raw objects from one collection, grouped by list. */
export type KubeObjects = {
  /** The `/version` response (`serverVersion` of `kubectl version -o json`). */
  readonly version?: Raw;
  /** HorizontalPodAutoscalers, read only for drift against manifests (who owns replicas). */
  readonly autoscalers?: readonly Raw[];
} & { readonly [K in ListKind]: readonly Raw[] };

/** A value per list, each made fresh by `make`. */
export function perList<T>(make: (list: ListKind) => T): Record<ListKind, T> {
  return Object.fromEntries(LIST_KINDS.map((list) => [list, make(list)])) as Record<ListKind, T>;
}

/** Empty object lists, to build on. */
export function emptyObjects(): KubeObjects {
  return perList(() => []);
}

/** What the collector could gather: per list, collected or why not (and which read failed). */
export type ListStatus =
  | { readonly state: 'collected' }
  | {
      readonly state: 'missing';
      readonly reason: string;
      readonly failures?: readonly ReadFailure[];
    }
  /** A custom resource whose CRD the cluster does not have (404): nothing to read, not a failure. */
  | { readonly state: 'notInstalled'; readonly reason: string };

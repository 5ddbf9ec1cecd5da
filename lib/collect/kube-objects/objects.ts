/** The raw Kubernetes objects of one collection, grouped by list, and the status of each list. */
import type { ReadFailure } from '../../rules/model';
import type { Raw } from './raw';

/** The Kubernetes lists a collector can gather. */
export type ListKind =
  'nodes' | 'pods' | 'deployments' | 'statefulsets' | 'daemonsets' | 'replicasets';

/** Raw objects from one collection, grouped by list. */
export interface KubeObjects {
  /** The `/version` response (`serverVersion` of `kubectl version -o json`). */
  readonly version?: Raw;
  readonly nodes: readonly Raw[];
  readonly pods: readonly Raw[];
  readonly deployments: readonly Raw[];
  readonly statefulsets: readonly Raw[];
  readonly daemonsets: readonly Raw[];
  readonly replicasets: readonly Raw[];
}

/** Empty object lists, to build on. */
export function emptyObjects(): KubeObjects {
  return {
    nodes: [],
    pods: [],
    deployments: [],
    statefulsets: [],
    daemonsets: [],
    replicasets: [],
  };
}

/** What the collector could gather: per list, collected or why not (and which read failed). */
export type ListStatus =
  | { readonly state: 'collected' }
  | {
      readonly state: 'missing';
      readonly reason: string;
      readonly failures?: readonly ReadFailure[];
    };

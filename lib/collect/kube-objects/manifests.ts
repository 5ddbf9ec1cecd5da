/**
 * Part `manifests` from raw objects: the desired workloads read from rendered manifests, joined
 * with the live objects of the same kind, namespace and name (only those, so the snapshot stays
 * small) and with the HorizontalPodAutoscalers that own replicas.
 */
import type {
  AutoscaledWorkload,
  DesiredWorkload,
  DriftKind,
  JsonValue,
  LiveWorkload,
  ManifestsState,
  PartStatus,
  ReadFailure,
} from '../../rules/model';
import { DRIFT_KINDS } from '../../rules/model';
import type { KubeObjects, ListKind, ListStatus } from './objects';
import type { Raw } from './raw';
import { at, num, str } from './raw';

/** The desired side of drift, as the manifests reader gives it. */
export interface DesiredManifests {
  /** The folder (or file) the manifests were read from. */
  readonly origin: string;
  readonly desired: readonly DesiredWorkload[];
  /** What the reader wants the reader of the report to know (namespaces assumed, kinds ignored). */
  readonly notes: readonly string[];
}

/** The HorizontalPodAutoscalers a source read, or why it could not. */
export type AutoscalerRead =
  | { readonly state: 'read'; readonly items: readonly Raw[] }
  | { readonly state: 'unknown'; readonly reason: string };

/** The live list each drift kind is read from. */
export const DRIFT_LISTS: Readonly<Record<DriftKind, ListKind>> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

/** Part `manifests` and its state: missing while a live list the manifests need was not read. */
export function manifestsOf(
  manifests: DesiredManifests,
  objects: KubeObjects,
  lists: Readonly<Record<ListKind, ListStatus>>,
  autoscalers: AutoscalerRead,
): { status: PartStatus; state?: ManifestsState } {
  const needed = DRIFT_KINDS.filter((k) => manifests.desired.some((d) => d.kind === k));
  const unread = needed.flatMap((k) => {
    const status = lists[DRIFT_LISTS[k]];
    return status.state === 'missing' ? [{ list: DRIFT_LISTS[k], status }] : [];
  });
  if (unread.length > 0) {
    const failures: ReadFailure[] = unread.flatMap((u) => u.status.failures ?? []);
    return {
      status: {
        state: 'missing',
        reason: `the live ${unread.map((u) => `${u.list} (${u.status.reason})`).join(', ')} were not read, so the manifests in ${manifests.origin} cannot be compared`,
        ...(failures.length > 0 ? { failures } : {}),
      },
    };
  }
  const index = new Map<string, Raw>();
  for (const kind of needed)
    for (const obj of objects[DRIFT_LISTS[kind]]) index.set(keyOf(kind, obj), obj);
  const live: LiveWorkload[] = manifests.desired.flatMap((d) => {
    const obj = index.get(`${d.kind}/${d.namespace}/${d.name}`);
    if (!obj) return [];
    const replicas = num(obj, 'spec', 'replicas');
    const template = at(obj, 'spec', 'template') as JsonValue | undefined;
    return [
      {
        kind: d.kind,
        namespace: d.namespace,
        name: d.name,
        ...(replicas !== undefined ? { replicas } : {}),
        ...(template !== undefined ? { template } : {}),
      },
    ];
  });
  return {
    status: { state: 'collected' },
    state: {
      origin: manifests.origin,
      desired: manifests.desired,
      live,
      ...(autoscalers.state === 'read'
        ? { autoscaled: autoscalers.items.flatMap(scaledWorkload) }
        : { autoscalersUnknown: autoscalers.reason }),
    },
  };
}

/** The workload an HPA scales (`autoscaling/v2` spec.scaleTargetRef), when it is one drift compares. */
function scaledWorkload(hpa: Raw): AutoscaledWorkload[] {
  const kind = str(hpa, 'spec', 'scaleTargetRef', 'kind');
  const name = str(hpa, 'spec', 'scaleTargetRef', 'name');
  const namespace = str(hpa, 'metadata', 'namespace') ?? 'default';
  const own = str(hpa, 'metadata', 'name') ?? '<unnamed>';
  if (name === undefined || !DRIFT_KINDS.includes(kind as DriftKind)) return [];
  return [{ kind: kind as DriftKind, namespace, name, hpa: `${namespace}/${own}` }];
}

function keyOf(kind: DriftKind, obj: Raw): string {
  return `${kind}/${str(obj, 'metadata', 'namespace') ?? 'default'}/${str(obj, 'metadata', 'name') ?? ''}`;
}

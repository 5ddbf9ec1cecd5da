/** The `--from-file` collector: kubectl JSON/YAML and saved snapshots into a ClusterSnapshot. */
import { basename, extname } from 'node:path';
import type { ClusterSnapshot } from '../../rules/model';
import { InputBudget, readStdinBounded } from './bounded-read';
import { dedupeObjects, duplicatesNote } from './dedupe';
import { InputError } from '../errors';
import type { InputDocument } from './read-inputs';
import { readInputs } from './read-inputs';

export type { InputDocument } from './read-inputs';
export { parseText, readInputs } from './read-inputs';
import type { KubectlRead } from '../kubectl';
import { withKubectl } from '../kubectl';
import { kubectlReader } from './kubectl-input';
import type { StatuslessWorkload } from './manifests';
import {
  countedStatusless,
  isManifest,
  statuslessNotes,
  statuslessOf,
  statuslessReason,
} from './manifests';
import { chooseAsOf } from './as-of';
import { assertSameVersion } from './version-output';
import type { SnapshotInfo } from './save';
import { SNAPSHOT_INFO } from './save';
import type { DesiredManifests, Raw, KubeObjects, ListKind, ListStatus } from '../kube-objects';
import {
  isRecord,
  str,
  buildSnapshot,
  perList,
  GITOPS_LISTS,
  GITOPS_RESOURCES,
} from '../kube-objects';

const KIND_TO_LIST: Readonly<Record<string, ListKind>> = {
  Node: 'nodes',
  Pod: 'pods',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
  Application: 'applications',
  Kustomization: 'kustomizations',
  HelmRelease: 'helmreleases',
};

// Kinds whose name other APIs reuse (kustomize's own kustomization.yaml is a Kustomization of
// kustomize.config.k8s.io): only the GitOps controller's API group counts.
const KIND_GROUPS: Readonly<Record<string, string>> = Object.fromEntries(
  GITOPS_LISTS.map((list) => [GITOPS_RESOURCES[list].kind, GITOPS_RESOURCES[list].group]),
);

/**
 * Sorts documents into Kubernetes lists (each object once), the version, and notes about what was
 * ignored. InputError for version output without a server, or two that disagree.
 */
export function classifyDocuments(documents: readonly InputDocument[]): {
  objects: KubeObjects;
  seen: Set<ListKind>;
  notes: string[];
  kubectl: KubectlRead;
  statusless: StatuslessWorkload[];
  autoscalers: Raw[];
} {
  const lists = perList<Raw[]>(() => []);
  // Read for drift: an HPA owns its workload's replicas, so they are not compared with manifests.
  const autoscalers: Raw[] = [];
  const seen = new Set<ListKind>();
  const statusless: StatuslessWorkload[] = [];
  // Keyed by the singular, with the plural beside it for the note.
  const ignored = new Map<string, { plural: string; count: number }>();
  const ignore = (one: string, many: string): void => {
    ignored.set(one, { plural: many, count: (ignored.get(one)?.count ?? 0) + 1 });
  };
  let version: { value: Raw; file: string } | undefined;
  const setVersion = (value: Raw, file: string): void => {
    if (version) assertSameVersion(version, { value, file });
    else version = { value, file };
  };
  const kubectl = kubectlReader();
  const visit = (value: unknown, file: string, impliedKind?: string): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, file);
      return;
    }
    if (!isRecord(value)) {
      ignore('non-object item', 'non-object items');
      return;
    }
    // `kubectl version -o json` output, or a bare GET /version response.
    if (isRecord(value['serverVersion'])) {
      setVersion(value['serverVersion'], file);
      kubectl.read(value['clientVersion'], file);
      return;
    }
    if (value['clientVersion'] !== undefined && value['kind'] === undefined) {
      throw new InputError(
        file,
        'this `kubectl version` output has only clientVersion: kubectl could not reach the cluster; re-run `kubectl version -o json` with cluster access (check the context and credentials)',
      );
    }
    if (
      typeof value['gitVersion'] === 'string' &&
      typeof value['major'] === 'string' &&
      value['kind'] === undefined
    ) {
      setVersion(value, file);
      kubectl.read(undefined, file);
      return;
    }
    const kind = str(value, 'kind') ?? impliedKind;
    // Read by savedInfoOf; not an object of the cluster.
    if (isSnapshotInfo(value)) return;
    if (
      kind !== undefined &&
      Array.isArray(value['items']) &&
      (kind === 'List' || kind.endsWith('List'))
    ) {
      // API list responses (NodeList) omit each item's kind; kubectl's List keeps it.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      for (const item of value['items'] as unknown[]) visit(item, file, itemKind);
      return;
    }
    if (kind === 'HorizontalPodAutoscaler') {
      autoscalers.push(value);
      return;
    }
    const group = kind === undefined ? undefined : KIND_GROUPS[kind];
    const apiVersion = str(value, 'apiVersion');
    const otherGroup =
      group !== undefined && apiVersion !== undefined && !apiVersion.startsWith(`${group}/`);
    const list = kind === undefined || otherGroup ? undefined : KIND_TO_LIST[kind];
    if (list === undefined) {
      if (kind === undefined) ignore('object without kind', 'objects without kind');
      else ignore(`${kind} object`, `${kind} objects`);
      return;
    }
    // Without a name an object cannot be told apart or reported; counting it would invent a node.
    const metadata = value['metadata'];
    if (!isRecord(metadata) || typeof metadata['name'] !== 'string' || metadata['name'] === '') {
      ignore(`${kind} without metadata.name`, `${kind} objects without metadata.name`);
      return;
    }
    // A manifest says what was asked for, not what runs: judging it would report every replica
    // of it unavailable. It is counted in the notes instead.
    if (isManifest(list, value)) {
      statusless.push(statuslessOf(list, kind ?? list, value, file));
      return;
    }
    seen.add(list);
    lists[list].push(kind === str(value, 'kind') ? value : { ...value, kind });
  };
  for (const { file, document } of documents) visit(document, file);
  const notes = [...ignored].map(([one, { plural, count }]) =>
    one.endsWith('without metadata.name')
      ? `ignored ${count} ${count === 1 ? one : plural} (not counted: an object needs a name; pass kubectl output unchanged)`
      : `ignored ${count} ${count === 1 ? one : plural} (skewguard reads Node, Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Argo CD Application, Flux Kustomization and HelmRelease, and kubectl version output)`,
  );
  let dropped = 0;
  let differing = 0;
  const unique = {} as Record<ListKind, Raw[]>;
  for (const list of Object.keys(lists) as ListKind[]) {
    const { kept, count } = dedupeObjects(list, lists[list]);
    unique[list] = kept;
    dropped += count.dropped;
    differing += count.differing;
  }
  if (dropped > 0) notes.push(duplicatesNote({ dropped, differing }));
  return {
    objects: { ...unique, ...(version ? { version: version.value } : {}) },
    seen,
    notes: [...notes, ...kubectl.notes],
    kubectl: kubectl.result(),
    statusless: countedStatusless(statusless, unique),
    autoscalers,
  };
}

/** Options for turning input documents into a snapshot. */
export interface FromDocumentsOptions {
  readonly cluster: string;
  readonly collectedAt: string;
  /** Notes carried over from where the documents came from (a saved snapshot's live run). */
  readonly notes?: readonly string[];
  /** Rendered manifests to compare the workloads in the input with (part `manifests`). */
  readonly manifests?: DesiredManifests;
}

const isSnapshotInfo = (value: Raw): boolean =>
  value['apiVersion'] === SNAPSHOT_INFO.apiVersion && value['kind'] === SNAPSHOT_INFO.kind;

/**
 * The description of a snapshot saved with --save-snapshot, when the inputs hold one: replayed,
 * it names the cluster as the live run did and keeps that run's notes. InputError when the inputs
 * hold snapshots of different clusters.
 */
export function savedInfoOf(documents: readonly InputDocument[]): SnapshotInfo | undefined {
  let found: { info: SnapshotInfo; file: string } | undefined;
  for (const { file, document } of documents) {
    for (const value of Array.isArray(document) ? document : [document]) {
      if (!isRecord(value) || !isSnapshotInfo(value)) continue;
      const info: SnapshotInfo = {
        cluster: str(value, 'cluster') ?? '',
        collectedAt: str(value, 'collectedAt') ?? '',
        notes: Array.isArray(value['notes'])
          ? value['notes'].filter((n): n is string => typeof n === 'string')
          : [],
      };
      if (found && found.info.cluster !== info.cluster) {
        throw new InputError(
          `${found.file}, ${file}`,
          `hold snapshots saved from different clusters (${JSON.stringify(found.info.cluster)} and ${JSON.stringify(info.cluster)}); replay one cluster's snapshot at a time`,
        );
      }
      found ??= { info, file };
    }
  }
  return found?.info;
}

/** Builds a snapshot from parsed kubectl output; a kind counts as collected only when present. */
export function snapshotFromDocuments(
  documents: readonly unknown[] | readonly InputDocument[],
  options: FromDocumentsOptions,
): ClusterSnapshot {
  return readDocuments(documents, options).snapshot;
}

/** snapshotFromDocuments, with how many workloads it left out for having no status. */
function readDocuments(
  documents: readonly unknown[] | readonly InputDocument[],
  options: FromDocumentsOptions,
): { snapshot: ClusterSnapshot; statusless: number } {
  const docs: InputDocument[] = documents.map((d) =>
    isRecord(d) && 'document' in d && typeof d['file'] === 'string'
      ? (d as unknown as InputDocument)
      : { file: '<input>', document: d },
  );
  const { objects, seen, notes, kubectl, statusless, autoscalers } = classifyDocuments(docs);
  const hints: Record<ListKind, string> = {
    nodes: '`kubectl get nodes -o json`',
    pods: '`kubectl get pods -A -o json`',
    deployments: '`kubectl get deployments -A -o json`',
    statefulsets: '`kubectl get statefulsets -A -o json`',
    daemonsets: '`kubectl get daemonsets -A -o json`',
    replicasets: '`kubectl get replicasets -A -o json`',
    applications: '`kubectl get applications.argoproj.io -A -o json`',
    kustomizations: '`kubectl get kustomizations.kustomize.toolkit.fluxcd.io -A -o json`',
    helmreleases: '`kubectl get helmreleases.helm.toolkit.fluxcd.io -A -o json`',
  };
  // Files cannot tell a controller that is absent from objects that were not saved; once one
  // GitOps kind is in the input, the others count as not installed, so its apps are checked.
  const anyGitOps = GITOPS_LISTS.some((list) => seen.has(list));
  const listStatus = (kind: ListKind): ListStatus =>
    seen.has(kind)
      ? { state: 'collected' }
      : anyGitOps && (GITOPS_LISTS as readonly string[]).includes(kind)
        ? { state: 'notInstalled', reason: `no ${kind} in the input` }
        : !anyGitOps && (GITOPS_LISTS as readonly string[]).includes(kind)
          ? {
              state: 'missing',
              reason: `no Argo CD Applications or Flux Kustomizations/HelmReleases in the input; for each controller the cluster runs, add ${GITOPS_LISTS.map((l) => hints[l]).join(', ')} output (kubectl says "the server doesn't have a resource type" for one that is not installed)`,
            }
          : statusless.some((s) => s.list === kind)
            ? { state: 'missing', reason: statuslessReason(kind) }
            : { state: 'missing', reason: `no ${kind} in the input; add ${hints[kind]} output` };
  const judged =
    objects.deployments.length + objects.statefulsets.length + objects.daemonsets.length;
  const snapshot = buildSnapshot({
    cluster: options.cluster,
    collectedAt: options.collectedAt,
    sources: [{ source: 'files', status: 'ok' }],
    objects,
    lists: {
      nodes: listStatus('nodes'),
      pods: listStatus('pods'),
      deployments: listStatus('deployments'),
      statefulsets: listStatus('statefulsets'),
      daemonsets: listStatus('daemonsets'),
      replicasets: listStatus('replicasets'),
      applications: listStatus('applications'),
      kustomizations: listStatus('kustomizations'),
      helmreleases: listStatus('helmreleases'),
    },
    versionMissingReason:
      'no `kubectl version -o json` output and no kube-apiserver pods in the input; add `kubectl version -o json > version.json`',
    origin: 'kubectl version',
    notes: [
      ...(options.notes ?? []),
      ...notes,
      ...statuslessNotes(statusless, judged),
      ...(autoscalers.length > 0 && !options.manifests
        ? [
            `ignored ${autoscalers.length} HorizontalPodAutoscaler object(s) (read only with --manifests, so ConfigDrift leaves the replicas they own alone)`,
          ]
        : []),
    ],
    ...(options.manifests
      ? {
          manifests: options.manifests,
          autoscalers:
            autoscalers.length > 0
              ? ({ state: 'read', items: autoscalers } as const)
              : ({
                  state: 'unknown',
                  reason:
                    'no HorizontalPodAutoscaler in the input, and one may own the replicas; add `kubectl get hpa -A -o json` output to compare replicas',
                } as const),
        }
      : {}),
  });
  return { snapshot: withKubectl(snapshot, kubectl), statusless: statusless.length };
}

/** How collectFromFiles reads and dates its input. */
export interface CollectFromFilesOptions {
  /** The reader's clock (ISO): the snapshot's time unless the input is dated by itself. */
  readonly collectedAt: string;
  readonly maxInputMb?: number;
  /**
   * Date the snapshot by the input: `asOf`, else its newest timestamp (docs/architecture.md,
   * "Snapshot"). Off when another source (Prometheus) is read at the clock in the same run.
   */
  readonly datedByInput?: boolean;
  /** `--as-of`: when the user knows the input was saved (ISO 8601, already validated). */
  readonly asOf?: string;
}

/** Reads the inputs and builds the snapshot; InputError when nothing usable is in them. */
export async function collectFromFiles(
  paths: readonly string[],
  options: Partial<Omit<FromDocumentsOptions, 'manifests'>> &
    CollectFromFilesOptions & { manifests?: DesiredManifests },
): Promise<ClusterSnapshot> {
  const documents = await readInputs(paths, readStdinBounded, new InputBudget(options.maxInputMb));
  const saved = savedInfoOf(documents);
  // The input's own time, not the reader's: a `for` must end where the saved data ends.
  const asOf = options.datedByInput
    ? chooseAsOf(
        documents.map((d) => d.document),
        options.collectedAt,
        options.asOf,
      )
    : undefined;
  const savedNotes = saved ? saved.notes.map((n) => `saved on ${saved.collectedAt}: ${n}`) : [];
  const leading = [...(asOf ? [asOf.note] : []), ...savedNotes];
  const { snapshot, statusless } = readDocuments(documents, {
    cluster: options.cluster ?? (saved?.cluster || defaultClusterName(paths)),
    collectedAt: asOf?.collectedAt ?? options.collectedAt,
    ...(leading.length > 0 ? { notes: leading } : {}),
    ...(options.manifests ? { manifests: options.manifests } : {}),
  });
  const anything =
    snapshot.nodes.length +
    snapshot.controlPlane.length +
    snapshot.workloads.length +
    snapshot.pods.length +
    snapshot.replicaSets.length +
    (snapshot.gitops?.length ?? 0) +
    // Manifests are reported (their notes say what they are), not refused as empty input.
    statusless;
  if (anything === 0) {
    const seenNotes = snapshot.notes.length > 0 ? ` (${snapshot.notes.join('; ')})` : '';
    throw new InputError(
      paths.join(', '),
      `contains no objects skewguard reads${seenNotes}; expected \`kubectl get nodes,pods -A -o json\` or \`kubectl version -o json\` output`,
    );
  }
  return snapshot;
}

/** `cluster` from `cluster.json`; the folder name for a folder. */
export function defaultClusterName(paths: readonly string[]): string {
  const first = paths.find((p) => p !== '-');
  if (!first) return 'stdin';
  return basename(first.replace(/[/\\]+$/, ''), extname(first)) || 'cluster';
}

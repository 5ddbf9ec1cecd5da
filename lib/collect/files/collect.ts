/** The `--from-file` collector: kubectl JSON/YAML and saved snapshots into a ClusterSnapshot. */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Document } from 'yaml';
import { parseAllDocuments } from 'yaml';
import type { ClusterSnapshot } from '../../rules/model';
import { InputBudget, readRegularFile, readStdinBounded, refusedKind } from './bounded-read';
import { decodeInput, stripBom } from './decode';
import type { DuplicateCount } from './dedupe';
import { dedupeObjects } from './dedupe';
import { InputError } from '../errors';
import { parseJsonInput } from './json-input';
import type { KubectlRead } from '../kubectl';
import { withKubectl } from '../kubectl';
import { kubectlReader } from './kubectl-input';
import { MAX_YAML_ALIASES, tooDeep, tooManyAliases } from './structure-limits';
import type { SnapshotInfo } from './save';
import { SNAPSHOT_INFO } from './save';
import type { DesiredManifests, Raw, KubeObjects, ListKind, ListStatus } from '../kube-objects';
import { isRecord, str, buildSnapshot, perList } from '../kube-objects';

/** One parsed input document and the file it came from. */
export interface InputDocument {
  readonly file: string;
  readonly document: unknown;
}

const KIND_TO_LIST: Readonly<Record<string, ListKind>> = {
  Node: 'nodes',
  Pod: 'pods',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
};

const INPUT_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/**
 * Reads `--from-file` inputs: files, folders (their *.json/*.yaml/*.yml, not recursive) or `-`
 * for standard input (once). Throws InputError naming the file and the problem.
 */
export async function readInputs(
  paths: readonly string[],
  stdin: (budget: InputBudget) => Promise<string | Uint8Array> = readStdinBounded,
  budget: InputBudget = new InputBudget(),
): Promise<InputDocument[]> {
  const stdinCount = paths.filter((p) => p === '-').length;
  if (stdinCount > 1) {
    throw new InputError(
      '--from-file -',
      `is given ${stdinCount} times, but standard input can be read only once; pass \`--from-file -\` once and save the other kubectl outputs to files`,
    );
  }
  const documents: InputDocument[] = [];
  for (const path of paths) {
    if (path === '-') {
      documents.push(...parseText('<stdin>', decodeInput('<stdin>', await stdin(budget))));
      continue;
    }
    for (const file of await expand(path)) {
      const bytes = await readRegularFile(file, budget);
      documents.push(...parseText(file, decodeInput(file, bytes)));
    }
  }
  return documents;
}

async function expand(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(path, `${problem}; check the --from-file path`, { cause: error });
  }
  const refused = refusedKind(info);
  if (refused !== undefined) throw new InputError(path, refused);
  if (!info.isDirectory()) return [path];
  const all = await readdir(path, { withFileTypes: true });
  const entries = all
    .map((e) => e.name)
    .filter((f) => INPUT_EXTENSIONS.has(extname(f).toLowerCase()))
    .sort();
  if (entries.length === 0) {
    const subfolders = all.filter((e) => e.isDirectory()).length;
    throw new InputError(
      path,
      subfolders > 0
        ? `folder has no .json, .yaml or .yml files, only ${subfolders} subfolder${subfolders === 1 ? '' : 's'}, and subfolders are not searched; pass each subfolder with its own --from-file`
        : 'folder has no .json, .yaml or .yml files; pass the folder that holds the saved kubectl output',
    );
  }
  return entries.map((f) => join(path, f));
}

/** Parses one file's text as JSON, or as one or more YAML documents; a leading BOM is dropped. */
export function parseText(file: string, input: string): InputDocument[] {
  const text = stripBom(input);
  const trimmed = text.trimStart();
  if (trimmed === '')
    throw new InputError(
      file,
      'is empty; expected `kubectl get … -o json|yaml` or `kubectl version -o json` output',
    );
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return [{ file, document: parseJsonInput(file, text) }];
  }
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file, error);
    throw error;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const out: InputDocument[] = [];
  for (const doc of list) {
    const [first] = doc.errors;
    // The YAML parser recurses per nesting level and reports the overflow as a parse error.
    if (first && /maximum call stack/i.test(first.message)) throw tooDeep(file, first);
    if (first)
      throw new InputError(file, `is not valid YAML (${first.message.split('\n')[0] ?? ''})`, {
        cause: first,
      });
    const value = documentValue(file, doc);
    if (value !== null && value !== undefined) out.push({ file, document: value });
  }
  if (out.length === 0) throw new InputError(file, 'has no YAML documents');
  return out;
}

/** A YAML document's value; InputError for an alias bomb or nesting the stack cannot hold. */
function documentValue(file: string, doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file, error);
    if (error instanceof ReferenceError && /alias count/i.test(error.message)) {
      throw tooManyAliases(file, error);
    }
    throw error;
  }
}

/**
 * Sorts documents into Kubernetes lists (each object once), the version, and notes about what was
 * ignored. InputError for version output without a server, or two that disagree.
 */
export function classifyDocuments(documents: readonly InputDocument[]): {
  objects: KubeObjects;
  seen: Set<ListKind>;
  notes: string[];
  kubectl: KubectlRead;
  autoscalers: Raw[];
} {
  const lists = perList<Raw[]>(() => []);
  // Read for drift: an HPA owns its workload's replicas, so they are not compared with manifests.
  const autoscalers: Raw[] = [];
  const seen = new Set<ListKind>();
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
    const list = kind === undefined ? undefined : KIND_TO_LIST[kind];
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
    seen.add(list);
    lists[list].push(kind === str(value, 'kind') ? value : { ...value, kind });
  };
  for (const { file, document } of documents) visit(document, file);
  const notes = [...ignored].map(([one, { plural, count }]) =>
    one.endsWith('without metadata.name')
      ? `ignored ${count} ${count === 1 ? one : plural} (not counted: an object needs a name; pass kubectl output unchanged)`
      : `ignored ${count} ${count === 1 ? one : plural} (skewguard reads Node, Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet and kubectl version output)`,
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
    autoscalers,
  };
}

function duplicatesNote({ dropped, differing }: DuplicateCount): string {
  const differ =
    differing === 0
      ? 'the copies were identical'
      : `${differing} differed; the copy with the newest metadata.resourceVersion, else the one read last, is used`;
  return `ignored ${dropped} duplicate object${dropped === 1 ? '' : 's'} (same kind, namespace and name read more than once, e.g. a folder passed twice or overlapping kubectl outputs; ${differ})`;
}

// Two version outputs that disagree come from two clusters, or from one that changed between
// them; either way the skew rules would compare nodes with the wrong control plane.
function assertSameVersion(
  first: { value: Raw; file: string },
  second: { value: Raw; file: string },
): void {
  const a = str(first.value, 'gitVersion');
  const b = str(second.value, 'gitVersion');
  if (a !== undefined && b !== undefined ? a === b : isDeepStrictEqual(first.value, second.value))
    return;
  const one = first.file === second.file;
  throw new InputError(
    one ? first.file : `${first.file} and ${second.file}`,
    `${one ? 'holds' : 'hold'} \`kubectl version\` outputs with different serverVersions (${a ?? 'unknown'} and ${b ?? 'unknown'}): they come from different clusters, or the cluster changed between them; pass one version output, saved together with the other files`,
  );
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
  const docs: InputDocument[] = documents.map((d) =>
    isRecord(d) && 'document' in d && typeof d['file'] === 'string'
      ? (d as unknown as InputDocument)
      : { file: '<input>', document: d },
  );
  const { objects, seen, notes, kubectl, autoscalers } = classifyDocuments(docs);
  const hints: Record<ListKind, string> = {
    nodes: '`kubectl get nodes -o json`',
    pods: '`kubectl get pods -A -o json`',
    deployments: '`kubectl get deployments -A -o json`',
    statefulsets: '`kubectl get statefulsets -A -o json`',
    daemonsets: '`kubectl get daemonsets -A -o json`',
    replicasets: '`kubectl get replicasets -A -o json`',
  };
  const listStatus = (kind: ListKind): ListStatus =>
    seen.has(kind)
      ? { state: 'collected' }
      : { state: 'missing', reason: `no ${kind} in the input; add ${hints[kind]} output` };
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
    },
    versionMissingReason:
      'no `kubectl version -o json` output and no kube-apiserver pods in the input; add `kubectl version -o json > version.json`',
    origin: 'kubectl version',
    notes: [
      ...(options.notes ?? []),
      ...notes,
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
  return withKubectl(snapshot, kubectl);
}

/** Reads the inputs and builds the snapshot; InputError when nothing usable is in them. */
export async function collectFromFiles(
  paths: readonly string[],
  options: Partial<Omit<FromDocumentsOptions, 'manifests'>> & {
    collectedAt: string;
    maxInputMb?: number;
    manifests?: DesiredManifests;
  },
): Promise<ClusterSnapshot> {
  const documents = await readInputs(paths, readStdinBounded, new InputBudget(options.maxInputMb));
  const saved = savedInfoOf(documents);
  const snapshot = snapshotFromDocuments(documents, {
    cluster: options.cluster ?? (saved?.cluster || defaultClusterName(paths)),
    collectedAt: options.collectedAt,
    ...(saved && saved.notes.length > 0
      ? { notes: saved.notes.map((n) => `saved on ${saved.collectedAt}: ${n}`) }
      : {}),
    ...(options.manifests ? { manifests: options.manifests } : {}),
  });
  const anything =
    snapshot.nodes.length +
    snapshot.controlPlane.length +
    snapshot.workloads.length +
    snapshot.pods.length +
    snapshot.replicaSets.length;
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

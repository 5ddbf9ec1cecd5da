import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ClusterSnapshot } from '../rules/model';
import { InputError } from './errors';
import type { Raw } from './raw';
import { isRecord, str } from './raw';
import type { KubeObjects, ListKind, ListStatus } from './snapshot';
import { buildSnapshot } from './snapshot';

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
 * for standard input. Throws InputError naming the file and the problem.
 */
export async function readInputs(
  paths: readonly string[],
  stdin: () => Promise<string> = readStdin,
): Promise<InputDocument[]> {
  const documents: InputDocument[] = [];
  for (const path of paths) {
    if (path === '-') {
      documents.push(...parseText('<stdin>', await stdin()));
      continue;
    }
    for (const file of await expand(path)) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new InputError(
          file,
          `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path and permissions`,
          { cause: error },
        );
      }
      documents.push(...parseText(file, text));
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
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path))
    .filter((f) => INPUT_EXTENSIONS.has(extname(f).toLowerCase()))
    .sort();
  if (entries.length === 0) throw new InputError(path, 'folder has no .json, .yaml or .yml files');
  return entries.map((f) => join(path, f));
}

/** Parses one file's text as JSON, or as one or more YAML documents. */
export function parseText(file: string, text: string): InputDocument[] {
  const trimmed = text.trimStart();
  if (trimmed === '')
    throw new InputError(
      file,
      'is empty; expected `kubectl get … -o json|yaml` or `kubectl version -o json` output',
    );
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [{ file, document: JSON.parse(text) as unknown }];
    } catch (error) {
      throw new InputError(
        file,
        `is not valid JSON (${(error as Error).message}); was the kubectl output cut off?`,
        { cause: error },
      );
    }
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: InputDocument[] = [];
  for (const doc of list) {
    const [first] = doc.errors;
    if (first)
      throw new InputError(file, `is not valid YAML (${first.message.split('\n')[0] ?? ''})`, {
        cause: first,
      });
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push({ file, document: value });
  }
  if (out.length === 0) throw new InputError(file, 'has no YAML documents');
  return out;
}

/** Sorts documents into Kubernetes lists, the version, and notes about what was ignored. */
export function classifyDocuments(documents: readonly InputDocument[]): {
  objects: KubeObjects;
  seen: Set<ListKind>;
  notes: string[];
} {
  const lists: Record<ListKind, Raw[]> = {
    nodes: [],
    pods: [],
    deployments: [],
    statefulsets: [],
    daemonsets: [],
    replicasets: [],
  };
  const seen = new Set<ListKind>();
  const ignored = new Map<string, number>();
  let version: Raw | undefined;
  const visit = (value: unknown, file: string, impliedKind?: string): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, file);
      return;
    }
    if (!isRecord(value)) {
      ignored.set('non-object', (ignored.get('non-object') ?? 0) + 1);
      return;
    }
    // `kubectl version -o json` output, or a bare GET /version response.
    if (isRecord(value['serverVersion'])) {
      version = value['serverVersion'];
      return;
    }
    if (value['clientVersion'] !== undefined && value['kind'] === undefined) {
      ignored.set(
        'kubectl version without serverVersion',
        (ignored.get('kubectl version without serverVersion') ?? 0) + 1,
      );
      return;
    }
    if (
      typeof value['gitVersion'] === 'string' &&
      typeof value['major'] === 'string' &&
      value['kind'] === undefined
    ) {
      version = value;
      return;
    }
    const kind = str(value, 'kind') ?? impliedKind;
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
    const list = kind === undefined ? undefined : KIND_TO_LIST[kind];
    if (list === undefined) {
      const label = kind ?? 'object without kind';
      ignored.set(label, (ignored.get(label) ?? 0) + 1);
      return;
    }
    seen.add(list);
    lists[list].push(kind === str(value, 'kind') ? value : { ...value, kind });
  };
  for (const { file, document } of documents) visit(document, file);
  const notes = [...ignored].map(
    ([kind, count]) =>
      `ignored ${count} ${kind} object${count === 1 ? '' : 's'} (skewguard reads Node, Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet and kubectl version output)`,
  );
  return { objects: { ...lists, ...(version ? { version } : {}) }, seen, notes };
}

/** Options for turning input documents into a snapshot. */
export interface FromDocumentsOptions {
  readonly cluster: string;
  readonly collectedAt: string;
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
  const { objects, seen, notes } = classifyDocuments(docs);
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
  return buildSnapshot({
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
    notes,
  });
}

/** Reads the inputs and builds the snapshot; InputError when nothing usable is in them. */
export async function collectFromFiles(
  paths: readonly string[],
  options: Partial<FromDocumentsOptions> & { collectedAt: string },
): Promise<ClusterSnapshot> {
  const documents = await readInputs(paths);
  const snapshot = snapshotFromDocuments(documents, {
    cluster: options.cluster ?? defaultClusterName(paths),
    collectedAt: options.collectedAt,
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

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Rendered manifests (`kustomize build`, `helm template` output) read from a folder: the
 * Deployments, StatefulSets and DaemonSets they define, for drift against the live cluster.
 * Synchronous, so the CDK synth that bundles them and the Lambda that reads the bundle share it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { DesiredWorkload, DriftKind, JsonValue } from '../../rules/model';
import { DRIFT_KINDS } from '../../rules/model';
import { InputError } from '../errors';
import type { InputDocument } from '../files';
import { DEFAULT_MAX_INPUT_MB, parseText, decodeInput } from '../files';
import type { DesiredManifests, Raw } from '../kube-objects';
import { isRecord, num, str } from '../kube-objects';

/** How manifests are read. */
export interface ManifestReadOptions {
  /** The namespace of objects without metadata.namespace. @default 'default' */
  readonly defaultNamespace?: string;
  /** How the user sets the default namespace, for the note (`--manifests-namespace`). */
  readonly namespaceSetting?: string;
  /** Cap in MB on all the files together. @default DEFAULT_MAX_INPUT_MB */
  readonly maxInputMb?: number;
}

const EXTENSIONS = new Set(['.json', '.yaml', '.yml']);
const MB = 1024 * 1024;

/** Every manifest document under `path` (a file, or a folder searched recursively), in path order. */
export function readManifestDocuments(
  path: string,
  maxInputMb = DEFAULT_MAX_INPUT_MB,
): InputDocument[] {
  const files = manifestFiles(path);
  let total = 0;
  const documents: InputDocument[] = [];
  for (const file of files) {
    total += statSync(file).size;
    if (total > maxInputMb * MB) {
      throw new InputError(
        file,
        `takes the manifests past ${maxInputMb} MB; pass a smaller folder, or raise the cap with --max-input-mb`,
      );
    }
    documents.push(...parseText(file, decodeInput(file, readFileSync(file))));
  }
  return documents;
}

/** The desired workloads of the manifests under `path`; InputError naming the file and fix. */
export function readManifests(path: string, options: ManifestReadOptions = {}): DesiredManifests {
  return desiredOf(path, readManifestDocuments(path, options.maxInputMb), options);
}

/** The desired workloads of already-read documents, with notes on what was assumed or ignored. */
export function desiredOf(
  origin: string,
  documents: readonly InputDocument[],
  options: ManifestReadOptions = {},
): DesiredManifests {
  const namespace = options.defaultNamespace ?? 'default';
  const byKey = new Map<string, DesiredWorkload>();
  let defaulted = 0;
  let duplicates = 0;
  let nameless = 0;
  for (const { object, file } of manifestObjects(documents)) {
    const kind = str(object, 'kind') as DriftKind;
    if (!DRIFT_KINDS.includes(kind)) continue;
    const name = str(object, 'metadata', 'name');
    if (name === undefined || name === '') {
      nameless += 1;
      continue;
    }
    const ns = str(object, 'metadata', 'namespace');
    if (ns === undefined) defaulted += 1;
    const replicas = num(object, 'spec', 'replicas');
    const template = (object['spec'] as Raw | undefined)?.['template'];
    const desired: DesiredWorkload = {
      kind,
      namespace: ns ?? namespace,
      name,
      file: relative(origin, file) || file,
      namespaceDefaulted: ns === undefined,
      ...(replicas !== undefined ? { replicas } : {}),
      ...(isRecord(template) ? { template: template as JsonValue } : {}),
    };
    const key = `${kind}/${desired.namespace}/${name}`;
    if (byKey.has(key)) duplicates += 1;
    // As `kubectl apply` would: the last document of an object wins.
    byKey.set(key, desired);
  }
  if (byKey.size === 0) {
    throw new InputError(
      origin,
      'holds no Deployment, StatefulSet or DaemonSet; pass the folder of rendered manifests (`kustomize build` or `helm template` output)',
    );
  }
  const notes: string[] = [];
  if (defaulted > 0) {
    notes.push(
      `${defaulted} manifest object(s) in ${origin} have no metadata.namespace and were compared in namespace ${namespace}${options.namespaceSetting ? ` (set another with ${options.namespaceSetting})` : ''}.`,
    );
  }
  if (duplicates > 0)
    notes.push(
      `${duplicates} workload(s) are defined twice in ${origin}; the last definition is compared, as kubectl apply would apply it.`,
    );
  if (nameless > 0)
    notes.push(
      `${nameless} workload(s) in ${origin} have no metadata.name and were not compared; render the manifests fully (helm template, kustomize build).`,
    );
  return { origin, desired: [...byKey.values()], notes };
}

/** Each object of the documents with its file; Lists and arrays are opened. */
export function manifestObjects(
  documents: readonly InputDocument[],
): { object: Raw; file: string }[] {
  const out: { object: Raw; file: string }[] = [];
  const visit = (value: unknown, file: string): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, file);
    } else if (isRecord(value)) {
      const kind = str(value, 'kind') ?? '';
      if (Array.isArray(value['items']) && (kind === 'List' || kind.endsWith('List')))
        visit(value['items'], file);
      else out.push({ object: value, file });
    }
  };
  for (const { document, file } of documents) visit(document, file);
  return out;
}

/** The manifest files under `path` (itself when a file), sorted; InputError when there are none. */
export function manifestFiles(path: string): string[] {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    throw new InputError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the manifests path`,
      { cause: error },
    );
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory())
    throw new InputError(
      path,
      'is neither a file nor a folder; pass the folder of rendered manifests',
    );
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      // Hidden entries (.git, editor files) are not manifests.
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && EXTENSIONS.has(extname(entry.name).toLowerCase()))
        files.push(full);
    }
  };
  walk(path);
  if (files.length === 0) {
    throw new InputError(
      path,
      'has no .json, .yaml or .yml files; write the rendered manifests there, e.g. `kustomize build overlays/prod > DIR/all.yaml`',
    );
  }
  return files;
}

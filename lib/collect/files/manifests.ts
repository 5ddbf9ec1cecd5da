/**
 * Workloads without status in saved input: manifests (a repo's YAML, `helm template`), which say
 * what was asked for and nothing about what runs, so they are kept out of the rollout rules.
 */
import type { ListKind, Raw } from '../kube-objects';
import { isRecord, str } from '../kube-objects';

/** The workload lists whose rollout rules read status; a manifest of these carries no state. */
const STATEFUL_LISTS: ReadonlySet<ListKind> = new Set([
  'deployments',
  'statefulsets',
  'daemonsets',
]);

/** One workload read without status, and the file it came from. */
export interface StatuslessWorkload {
  readonly file: string;
  readonly list: ListKind;
  readonly kind: string;
  /** `namespace/name`, the dedupe key within its list. */
  readonly ref: string;
}

/**
 * True for a Deployment, StatefulSet or DaemonSet without `status`, or with an empty one: what a
 * manifest looks like. (The API writes status on every object it returns; an empty one before the
 * controller first acts is a moment a saved `kubectl get` rarely catches.)
 */
export function isManifest(list: ListKind, value: Raw): boolean {
  if (!STATEFUL_LISTS.has(list)) return false;
  const status = value['status'];
  return (
    status === undefined ||
    status === null ||
    (isRecord(status) && Object.keys(status).length === 0)
  );
}

/** The statusless workload, for the notes. */
export function statuslessOf(
  list: ListKind,
  kind: string,
  value: Raw,
  file: string,
): StatuslessWorkload {
  return { file, list, kind, ref: refOf(value) };
}

/**
 * The statusless workloads that count: one per kind and name, and none that the input also holds
 * with status (a manifest beside `kubectl get` output of the same object adds nothing).
 */
export function countedStatusless(
  statusless: readonly StatuslessWorkload[],
  live: Readonly<Record<ListKind, readonly Raw[]>>,
): StatuslessWorkload[] {
  const seen = new Set<string>();
  for (const list of STATEFUL_LISTS)
    for (const obj of live[list]) seen.add(`${list}\u0000${refOf(obj)}`);
  const out: StatuslessWorkload[] = [];
  for (const s of statusless) {
    const key = `${s.list}\u0000${s.ref}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/**
 * One note per input holding statusless workloads, then how many workloads the rollout rules
 * judge, so a run over manifests never reads as a healthy cluster.
 */
export function statuslessNotes(
  statusless: readonly StatuslessWorkload[],
  judged: number,
): string[] {
  if (statusless.length === 0) return [];
  const byFile = new Map<string, StatuslessWorkload[]>();
  for (const s of statusless) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  const notes = [...byFile].map(([file, items]) => {
    const names = items.slice(0, 3).map((s) => `${s.kind} ${s.ref}`);
    const more = items.length > 3 ? ` and ${items.length - 3} more` : '';
    return `${file}: no status — this looks like a manifest, not \`kubectl get\` output; for drift against manifests use --manifests (not judged: ${names.join(', ')}${more})`;
  });
  const total = judged + statusless.length;
  notes.push(
    `rollout rules judged ${judged} of ${total} workload${total === 1 ? '' : 's'}; ${statusless.length} had no status (save the live objects with \`kubectl get deployments,statefulsets,daemonsets -A -o json\`)`,
  );
  return notes;
}

/** `namespace/name`, with the namespace kubectl applies to an object that names none. */
function refOf(value: Raw): string {
  return `${str(value, 'metadata', 'namespace') ?? 'default'}/${str(value, 'metadata', 'name') ?? ''}`;
}

/** Why a workload list counts as missing when every object of it in the input had no status. */
export function statuslessReason(list: ListKind): string {
  return `the ${list} in the input have no status (manifests, not \`kubectl get\` output); add \`kubectl get ${list} -A -o json\` output`;
}

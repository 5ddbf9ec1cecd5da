/**
 * Inputs overlap in ordinary use (a folder passed twice, `get nodes,pods -A` beside
 * `get pods -n kube-system`), and an object read twice must still count once: otherwise one node
 * becomes "2 nodes" and one finding is reported twice under one fingerprint.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Raw, ListKind } from '../kube-objects';
import { at, str } from '../kube-objects';

/** What de-duplication dropped: copies in all, and how many of them differed from the copy kept. */
export interface DuplicateCount {
  readonly dropped: number;
  readonly differing: number;
}

/**
 * One object per kind, namespace and name (nodes by name), in first-seen order: the copy with the
 * highest numeric metadata.resourceVersion, else the one read last. Unnamed objects are all kept.
 */
export function dedupeObjects(
  list: ListKind,
  objects: readonly Raw[],
): { kept: Raw[]; count: DuplicateCount } {
  const kept: Raw[] = [];
  const slot = new Map<string, number>();
  let dropped = 0;
  let differing = 0;
  for (const obj of objects) {
    const key = identity(list, obj);
    const index = key === undefined ? undefined : slot.get(key);
    if (key === undefined || index === undefined) {
      if (key !== undefined) slot.set(key, kept.length);
      kept.push(obj);
      continue;
    }
    const current = kept[index] as Raw;
    dropped++;
    if (isDeepStrictEqual(current, obj)) continue;
    differing++;
    if (!olderThan(obj, current)) kept[index] = obj;
  }
  return { kept, count: { dropped, differing } };
}

function identity(list: ListKind, obj: Raw): string | undefined {
  const name = str(obj, 'metadata', 'name');
  if (name === undefined) return undefined;
  // Nodes are cluster-scoped; a namespaced object without one is in `default`, as the API has it.
  return list === 'nodes' ? name : `${str(obj, 'metadata', 'namespace') ?? 'default'}/${name}`;
}

/** True only when both resourceVersions are numeric and `a`'s is lower. */
function olderThan(a: Raw, b: Raw): boolean {
  const va = resourceVersion(a);
  const vb = resourceVersion(b);
  return va !== undefined && vb !== undefined && va < vb;
}

// resourceVersion is opaque by contract, but etcd-backed servers use the revision number; BigInt
// because revisions are not bounded by 2^53.
function resourceVersion(obj: Raw): bigint | undefined {
  const v = at(obj, 'metadata', 'resourceVersion');
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return undefined;
}

/** The note for the duplicates dedupeObjects dropped: how many, and which copy was used. */
export function duplicatesNote({ dropped, differing }: DuplicateCount): string {
  const differ =
    differing === 0
      ? 'the copies were identical'
      : `${differing} differed; the copy with the newest metadata.resourceVersion, else the one read last, is used`;
  return `ignored ${dropped} duplicate object${dropped === 1 ? '' : 's'} (same kind, namespace and name read more than once, e.g. a folder passed twice or overlapping kubectl outputs; ${differ})`;
}

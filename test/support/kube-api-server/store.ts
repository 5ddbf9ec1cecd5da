/**
 * The objects the test API server holds: one immutable snapshot per resourceVersion, kept until
 * compacted, so open pagination stays consistent while a test replaces the objects (as etcd
 * serves a continued list from the revision it started at).
 */
import type { ResourceType } from './resources';
import { BY_KIND, groupVersionOf, isRecord, RESOURCE_TYPES } from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';

/** One object as stored: its key parts, and the two JSON forms the server answers with. */
export interface StoredObject {
  readonly sortKey: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** As a GET returns it: with kind and apiVersion. */
  readonly object: Readonly<Record<string, unknown>>;
  /** As a list item: the real server leaves kind and apiVersion out. */
  readonly item: Readonly<Record<string, unknown>>;
}

/** Objects at one resourceVersion, per plural, sorted as etcd keys sort. */
export interface Snapshot {
  readonly rv: number;
  readonly byResource: ReadonlyMap<string, readonly StoredObject[]>;
}

/** Flattens `*List` objects (as `kubectl get -o json` prints them) into their items. */
function flattenFixtures(objects: readonly unknown[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  objects.forEach((value, index) => {
    if (!isRecord(value)) {
      throw new Error(`fixture #${index} is not an object; pass kubectl JSON objects.`);
    }
    if (
      typeof value.kind === 'string' &&
      value.kind.endsWith('List') &&
      Array.isArray(value.items)
    ) {
      const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
      (value.items as unknown[]).forEach((item, itemIndex) => {
        if (!isRecord(item)) {
          throw new Error(
            `fixture #${index} (${String(value.kind)}) item #${itemIndex} is not an object.`,
          );
        }
        out.push(itemKind && !item.kind ? { kind: itemKind, ...item } : item);
      });
    } else {
      out.push(value);
    }
  });
  return out;
}

/** Validates and indexes kubectl JSON objects; the errors say which fixture is wrong and how. */
function buildSnapshot(objects: readonly unknown[], rv: number): Snapshot {
  const lists = new Map<string, StoredObject[]>(RESOURCE_TYPES.map((r) => [r.plural, []]));
  const seen = new Set<string>();
  flattenFixtures(objects).forEach((raw, index) => {
    const kind = typeof raw.kind === 'string' ? raw.kind : undefined;
    const type = kind ? BY_KIND.get(kind) : undefined;
    if (!type) {
      const known = RESOURCE_TYPES.map((r) => r.kind).join(', ');
      throw new Error(
        `fixture #${index} has kind ${String(kind)}; the test server serves ${known}.`,
      );
    }
    const metadata = isRecord(raw.metadata) ? raw.metadata : {};
    const name = metadata.name;
    if (typeof name !== 'string' || name === '') {
      throw new Error(
        `fixture #${index} (${type.kind}) has no metadata.name; give every object one.`,
      );
    }
    // The real server defaults a missing namespace to "default" on create.
    const namespace = type.namespaced
      ? typeof metadata.namespace === 'string' && metadata.namespace
        ? metadata.namespace
        : 'default'
      : undefined;
    const sortKey = namespace === undefined ? name : `${namespace}/${name}`;
    if (seen.has(`${type.plural}/${sortKey}`)) {
      throw new Error(
        `fixture ${type.kind} ${sortKey} appears twice; object names must be unique.`,
      );
    }
    seen.add(`${type.plural}/${sortKey}`);
    const fullMetadata = namespace === undefined ? metadata : { ...metadata, namespace };
    const item: Record<string, unknown> = { ...raw, metadata: fullMetadata };
    delete item.kind;
    delete item.apiVersion;
    const labels = isRecord(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
    lists.get(type.plural)!.push({
      sortKey,
      name,
      namespace,
      labels,
      object: { kind: type.kind, apiVersion: groupVersionOf(type), ...item },
      item,
    });
  });
  for (const list of lists.values()) {
    list.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  }
  return { rv, byResource: lists };
}

// The first resourceVersion; each replace() moves on by one. Clients only compare them.
const START_RV = 1000;

// Pagination re-filters per page; a small cache keeps 150,000-pod walks linear.
const FILTER_CACHE_SIZE = 32;

/** Every snapshot the server still serves, the latest first in line. */
export class ObjectStore {
  private current: Snapshot;
  private readonly snapshots = new Map<number, Snapshot>();
  private readonly filterCache = new Map<string, readonly StoredObject[]>();

  constructor(objects: readonly unknown[]) {
    this.current = buildSnapshot(objects, START_RV);
    this.snapshots.set(this.current.rv, this.current);
  }

  /** The snapshot a new list or a get reads. */
  get latest(): Snapshot {
    return this.current;
  }

  /** The snapshot a continue token points at (-1 = the latest); undefined once compacted. */
  at(rv: number): Snapshot | undefined {
    return rv === -1 ? this.current : this.snapshots.get(rv);
  }

  /** Replaces the objects at a new resourceVersion; older snapshots stay until compacted. */
  replace(objects: readonly unknown[]): void {
    this.current = buildSnapshot(objects, this.current.rv + 1);
    this.snapshots.set(this.current.rv, this.current);
  }

  /** Forgets every snapshot but the latest, so their continue tokens expire. */
  compact(): void {
    for (const rv of this.snapshots.keys()) if (rv !== this.current.rv) this.snapshots.delete(rv);
    this.filterCache.clear();
  }

  /** The objects of `resource` in `snapshot` that the namespace and selectors match, in order. */
  matching(
    snapshot: Snapshot,
    resource: ResourceType,
    namespace: string | undefined,
    labels: string,
    fields: string,
  ): readonly StoredObject[] {
    const all = snapshot.byResource.get(resource.plural) ?? [];
    if (namespace === undefined && !labels && !fields) return all;
    const key = JSON.stringify([snapshot.rv, resource.plural, namespace, labels, fields]);
    const cached = this.filterCache.get(key);
    if (cached) return cached;
    const byLabel = labels ? parseLabelSelector(labels) : () => true;
    const byField = fields ? parseFieldSelector(fields, resource) : () => true;
    const result = all.filter(
      (o) => (namespace === undefined || o.namespace === namespace) && byLabel(o) && byField(o),
    );
    if (this.filterCache.size >= FILTER_CACHE_SIZE) this.filterCache.clear();
    this.filterCache.set(key, result);
    return result;
  }
}

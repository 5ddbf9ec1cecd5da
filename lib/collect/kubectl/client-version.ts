/** The kubectl client's version out of `kubectl version` output, and how a source puts it in the snapshot's `kubectl` part. */
import type { ClusterSnapshot, PartStatus, VersionRef } from '../../rules/model';

/** The kubectl client a source read, or why the `kubectl` part is missing (with the fix). */
export type KubectlRead =
  | { readonly state: 'collected'; readonly version: VersionRef }
  | { readonly state: 'missing'; readonly reason: string };

/**
 * The `clientVersion` object's version as a VersionRef: its gitVersion, else `major.minor` (builds
 * print `minor: "32+"`, whose `+` is dropped); undefined when it names neither.
 */
export function clientVersionRef(clientVersion: unknown, source: string): VersionRef | undefined {
  if (typeof clientVersion !== 'object' || clientVersion === null) return undefined;
  const fields = clientVersion as Record<string, unknown>;
  const git = fields['gitVersion'];
  if (typeof git === 'string' && git.trim() !== '') return { raw: git.trim(), source };
  const { major, minor } = fields;
  if (typeof major === 'string' && typeof minor === 'string' && major !== '' && minor !== '')
    return { raw: `${major}.${minor.replace(/\+$/, '')}`, source };
  return undefined;
}

/**
 * `snapshot` with its `kubectl` part set from `read`, and `notes` added. The client is not a
 * cluster object, so the snapshot builder the live API and the files share does not carry it;
 * each source that reads one adds it here.
 */
export function withKubectl(
  snapshot: ClusterSnapshot,
  read: KubectlRead,
  notes: readonly string[] = [],
): ClusterSnapshot {
  const part: PartStatus =
    read.state === 'collected' ? { state: 'collected' } : { state: 'missing', reason: read.reason };
  return {
    ...snapshot,
    parts: { ...snapshot.parts, kubectl: part },
    ...(read.state === 'collected' ? { kubectl: { version: read.version } } : {}),
    notes: [...snapshot.notes, ...notes],
  };
}

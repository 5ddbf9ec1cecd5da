/**
 * Holds on notifications: silences (ledger items `silence#<id>`, added by `skewguard silence`)
 * and a cluster's maintenance windows; what matches a hold is reconciled and stored as usual,
 * but its notices stay owed until the hold ends (docs/architecture.md, "Silences and windows").
 */
import { randomBytes } from 'node:crypto';
import type { MaintenanceWindow } from '../config/maintenance';
import { windowEndAt } from '../config/maintenance';
import type { Subject } from '../rules/model';
import { epochSeconds, isoTime } from './reconcile';
import type {
  HoldFor,
  LedgerItem,
  LedgerStore,
  ScanningLedgerStore,
  SilenceItem,
  StoredItem,
} from './types';
import { LedgerError, SILENCE_KEY_PREFIX } from './types';

/** How long a silence that ended stays listed before DynamoDB's TTL may delete it. */
const LISTED_AFTER_END_SECONDS = 7 * 86400;

/** Type guard for silence items among everything stored under a cluster. */
export function isSilenceItem(item: StoredItem): item is SilenceItem {
  return item.type === 'silence';
}

/** Whether a silence holds at `now`: checked in code, since DynamoDB's TTL deletes late. */
export function isActiveSilence(silence: SilenceItem, now: number): boolean {
  const ends = Date.parse(silence.endsAt);
  return Number.isFinite(ends) && now < ends;
}

/**
 * Whether a silence's `subject` names a finding's subject: it equals the subject's `name`,
 * `namespace/name`, `Kind/name` or `Kind/namespace/name` (e.g. `web`, `shop/web`,
 * `Deployment/shop/web`, `Kubelet/v1.26`); compared exactly, except the kind ignores case.
 */
export function subjectMatches(pattern: string, subject: Subject): boolean {
  const { kind, namespace, name } = subject;
  const namespaced = namespace !== undefined ? `${namespace}/${name}` : undefined;
  if (pattern === name || pattern === namespaced) return true;
  const slash = pattern.indexOf('/');
  if (slash < 0 || pattern.slice(0, slash).toLowerCase() !== kind.toLowerCase()) return false;
  const rest = pattern.slice(slash + 1);
  return rest === name || rest === namespaced;
}

/** Whether a silence covers a finding item (the cluster is the partition, so already equal). */
export function silenceMatches(silence: SilenceItem, item: LedgerItem): boolean {
  if (silence.ruleId !== undefined && silence.ruleId !== item.ruleId) return false;
  return silence.subject === undefined || subjectMatches(silence.subject, item.subject);
}

/**
 * The hold test for one run: the first active silence that matches, else an open maintenance
 * window (which holds every finding of the cluster).
 */
export function holdsAt(
  silences: readonly SilenceItem[],
  windows: readonly MaintenanceWindow[],
  now: number,
): HoldFor {
  const active = silences.filter((s) => isActiveSilence(s, now));
  const openWindow = windows
    .map((w) => ({ w, end: windowEndAt(w, now) }))
    .filter((x): x is { w: MaintenanceWindow; end: number } => x.end !== undefined)
    .sort((a, b) => b.end - a.end)[0];
  return (item) => {
    const silence = active.find((s) => silenceMatches(s, item));
    if (silence) return { kind: 'silence', id: silence.id, until: silence.endsAt };
    return openWindow
      ? { kind: 'maintenance', cron: openWindow.w.cron, until: isoTime(openWindow.end) }
      : undefined;
  };
}

/** What `silence add` asks for. */
export interface NewSilence {
  readonly cluster: string;
  readonly ruleId?: string;
  readonly subject?: string;
  readonly durationSeconds: number;
  readonly comment: string;
  readonly createdBy: string;
}

/** Stores a new silence and returns it; ids are 8 random hex digits, unique per cluster. */
export async function addSilence(
  store: LedgerStore,
  input: NewSilence,
  now: number,
): Promise<SilenceItem> {
  const id = randomBytes(4).toString('hex');
  const endsAt = now + input.durationSeconds * 1000;
  const item: SilenceItem = {
    type: 'silence',
    pk: input.cluster,
    sk: `${SILENCE_KEY_PREFIX}${id}`,
    id,
    ...(input.ruleId !== undefined ? { ruleId: input.ruleId } : {}),
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    createdBy: input.createdBy,
    createdAt: isoTime(now),
    comment: input.comment,
    endsAt: isoTime(endsAt),
    expiresAt: epochSeconds(endsAt) + LISTED_AFTER_END_SECONDS,
    version: 1,
  };
  // A clash of two random ids in one cluster is a lost race: never overwrite someone's silence.
  if ((await store.put(item, undefined)) === 'lostRace') {
    throw new LedgerError(
      'put',
      `silence id ${id} already exists in cluster ${input.cluster}; run the command again for a new id`,
    );
  }
  return item;
}

/**
 * The silences of a cluster (or of every cluster), newest first, those that ended but DynamoDB's
 * TTL has not yet deleted included.
 */
export async function listSilences(
  store: ScanningLedgerStore,
  cluster?: string,
): Promise<readonly SilenceItem[]> {
  const items =
    cluster === undefined
      ? await store.scan(SILENCE_KEY_PREFIX)
      : await store.load(cluster, SILENCE_KEY_PREFIX);
  return items.filter(isSilenceItem).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Ends a silence now (conditional on the version read, so a concurrent edit is not lost).
 * Returns undefined when no silence has that id, `expired: false` when it had already ended.
 * The run after it notifies what is still firing.
 */
export async function expireSilence(
  store: ScanningLedgerStore,
  id: string,
  by: string,
  now: number,
  cluster?: string,
): Promise<{ readonly silence: SilenceItem; readonly expired: boolean } | undefined> {
  const found = (await listSilences(store, cluster)).find((s) => s.id === id);
  if (!found) return undefined;
  if (!isActiveSilence(found, now)) return { silence: found, expired: false };
  const item: SilenceItem = {
    ...found,
    endsAt: isoTime(now),
    expiredBy: by,
    expiresAt: epochSeconds(now) + LISTED_AFTER_END_SECONDS,
    version: found.version + 1,
  };
  if ((await store.put(item, found.version)) === 'lostRace') {
    throw new LedgerError(
      'put',
      `silence ${id} of cluster ${found.pk} changed while it was being expired; run the command again`,
    );
  }
  return { silence: item, expired: true };
}

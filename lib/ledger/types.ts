/**
 * The ledger's data: what is stored per finding and per source, what a run must notify, and
 * the tiny storage interface the DynamoDB and in-memory backends implement (docs/architecture.md, Conventions #12).
 */
import type {
  Finding,
  Severity,
  SourceErrorKind,
  SourceName,
  SourceStatus,
  Subject,
} from '../rules/model';

/** Where a finding stands: holding but not yet for its `for`, firing, or gone. */
export type FindingStatus = 'pending' | 'firing' | 'resolved';

/** What a notification says about a finding. */
export type TransitionKind = 'firing' | 'resolved' | 'repeat';

/**
 * One finding's state in one cluster: pk = cluster, sk = fingerprint. The `notified*` fields
 * record what people have been told; a transition is owed whenever they lag `status`, so a
 * publish that failed is simply owed again on the next run.
 */
export interface LedgerItem {
  readonly type: 'finding';
  /** The cluster name. */
  readonly pk: string;
  /** The finding's fingerprint. */
  readonly sk: string;
  readonly ruleId: string;
  /** Severity of the last finding seen. */
  readonly severity: Severity;
  readonly status: FindingStatus;
  /** ISO time the ledger first saw this episode of the condition. */
  readonly firstSeen: string;
  /** ISO time of the last run that saw the finding. */
  readonly lastSeen: string;
  /** ISO time the condition began, when the rule could tell. */
  readonly since?: string;
  /** How long the condition must hold before it fires (from the last finding). */
  readonly forSeconds: number;
  /** ISO time a run found the condition gone. */
  readonly resolvedAt?: string;
  /** ISO time of the last notification that was published and recorded. */
  readonly lastNotified?: string;
  /** What people were last told: `firing` (incl. repeats) or `resolved`. */
  readonly notifiedStatus?: 'firing' | 'resolved';
  /** Severity the last firing notification carried; a change is notified again. */
  readonly notifiedSeverity?: Severity;
  /**
   * Every severity a firing or repeat notice of this episode carried, worst first. Later notices
   * of the episode (downgrade, repeat, resolved) route with these too, so a subscriber that
   * filters on severity and heard the episode begin also hears it end (lib/notify/routing.ts).
   */
  readonly notifiedSeverities?: readonly Severity[];
  /**
   * Hash of what makes the last finding seen materially what it is (lib/rules/resolved.ts
   * `materialState`: the rule's `materialKeys`, else its summary).
   */
  readonly state?: string;
  /**
   * `state` as the last firing or repeat notice carried it. A firing item whose `state` differs
   * is owed a `firing` notice again (changed); kept apart from `state` because the claim writes
   * the new `state` before the publish, and a publish that fails must leave the change owed.
   * Items written before it existed count as unchanged until their next notice records it.
   */
  readonly notifiedState?: string;
  /** Notifications recorded for this episode. */
  readonly notifyCount: number;
  /** Run that claimed this item to publish its transition (see ledger.ts). */
  readonly claimId?: string;
  /** ISO time the claim lapses, so a run that died after claiming cannot block forever. */
  readonly claimExpiresAt?: string;
  /** Bumped by every write; every write is conditional on the version it read. */
  readonly version: number;
  /** Epoch seconds after which the item is dead (DynamoDB TTL attribute `expiresAt`). */
  readonly expiresAt?: number;
  /** The last finding, kept so a resolved notice can say what resolved. */
  readonly summary: string;
  readonly subject: Subject;
  readonly details: Readonly<Record<string, unknown>>;
  readonly runbookUrl: string;
}

/** Consecutive failed runs of one source in one cluster: pk = cluster, sk = `source#<name>`. */
export interface SourceHealthItem {
  readonly type: 'sourceHealth';
  readonly pk: string;
  readonly sk: string;
  readonly source: SourceName;
  /** Runs in a row in which the source failed; 0 after a success. */
  readonly consecutiveFailures: number;
  readonly lastStatus: SourceStatus['status'];
  readonly lastReason?: string;
  readonly lastKind?: SourceErrorKind;
  /** ISO time of the last run in which the source answered. */
  readonly lastOkAt?: string;
  /** ISO time of the last recorded run. */
  readonly updatedAt: string;
  readonly version: number;
}

/**
 * A slow-changing read kept between runs (support calendars, add-on versions, EKS insights):
 * pk = cluster, sk = `cache#<name>`. `value` is the read's JSON; `expiresAt` is checked in code
 * (DynamoDB's TTL deletes late, and dynalite not at all).
 */
export interface CacheItem {
  readonly type: 'cache';
  readonly pk: string;
  readonly sk: string;
  /** ISO time the value was read from its source. */
  readonly fetchedAt: string;
  /** Epoch seconds after which the value is too old to use (also the table's TTL attribute). */
  readonly expiresAt: number;
  readonly value: string;
  readonly version: number;
}

/**
 * A silence (`skewguard silence add`): pk = cluster, sk = `silence#<id>`. While it holds, the
 * findings it matches (lib/ledger/silences.ts) are evaluated and stored but not notified.
 * `endsAt` is checked in code; `expiresAt` only lets DynamoDB's TTL clean up later.
 */
export interface SilenceItem {
  readonly type: 'silence';
  readonly pk: string;
  readonly sk: string;
  readonly id: string;
  /** Only findings of this rule; absent: every rule. */
  readonly ruleId?: string;
  /** Only findings whose subject reads like this (see `subjectMatches`); absent: every subject. */
  readonly subject?: string;
  /** Who added it: the caller's name as `--by` or $USER gave it. */
  readonly createdBy: string;
  /** ISO time it was added. */
  readonly createdAt: string;
  /** Why: required, so whoever finds it later knows whom to ask. */
  readonly comment: string;
  /** ISO time it stops holding (set to the expiry time by `silence expire`). */
  readonly endsAt: string;
  /** Who ended it early, when someone did. */
  readonly expiredBy?: string;
  /** Epoch seconds DynamoDB's TTL may delete it after (a week past `endsAt`, so `list` shows it). */
  readonly expiresAt: number;
  readonly version: number;
}

/**
 * When a cluster last completed a check, kept under its check function's partition
 * (pk = `heartbeat#<function id>`, sk = cluster) so any run of that function can tell which of
 * its clusters stopped (lib/ledger/heartbeat.ts).
 */
export interface HeartbeatItem {
  readonly type: 'heartbeat';
  readonly pk: string;
  readonly sk: string;
  /** ISO start time of the cluster's last completed run; absent until it completes one. */
  readonly lastSuccessAt?: string;
  /** ISO time a run of the function first saw the cluster in its config. */
  readonly firstSeenAt: string;
  /** Epoch seconds: a partition whose function is gone empties itself (table TTL). */
  readonly expiresAt: number;
  readonly version: number;
}

/** Anything the ledger keeps under a cluster's (or, for heartbeats, a function's) partition. */
export type StoredItem = LedgerItem | SourceHealthItem | CacheItem | SilenceItem | HeartbeatItem;

/** The sort-key prefix of source health items; fingerprints are hex and never start with it. */
export const SOURCE_KEY_PREFIX = 'source#';

/** The sort-key prefix of cached reads. */
export const CACHE_KEY_PREFIX = 'cache#';

/** The sort-key prefix of silences. */
export const SILENCE_KEY_PREFIX = 'silence#';

/** Sort key of a source's health item. */
export function sourceKey(source: SourceName): string {
  return `${SOURCE_KEY_PREFIX}${source}`;
}

/** A notification the run owes: the finding (for `resolved`, the stored last one) and its item. */
export interface Transition {
  readonly kind: TransitionKind;
  readonly finding: Finding;
  /** The item as this run writes (or, once claimed, wrote) it. */
  readonly item: LedgerItem;
}

/** Why a finding's notices are held (lib/ledger/silences.ts), and until when (ISO time). */
export type Hold =
  | { readonly kind: 'silence'; readonly id: string; readonly until: string }
  | { readonly kind: 'maintenance'; readonly cron: string; readonly until: string };

/** Which hold, if any, applies to a finding item this run. */
export type HoldFor = (item: LedgerItem) => Hold | undefined;

/**
 * A notice a run owed but held back: nothing is claimed or confirmed for it, so the item's
 * `notified*` fields still lag and the first run after the hold owes (and sends) it once.
 */
export interface HeldNotice {
  readonly kind: TransitionKind;
  readonly item: LedgerItem;
  readonly hold: Hold;
}

/** Result of a conditional write: `lostRace` means another run changed the item first. */
export type WriteOutcome = 'written' | 'lostRace';

/** The storage a ledger needs; every write is conditional on the version read. */
export interface LedgerStore {
  /** All items of a cluster, optionally only those whose sort key starts with `skPrefix`. */
  load(cluster: string, skPrefix?: string): Promise<readonly StoredItem[]>;
  /**
   * Writes `item` if the stored version is `expectedVersion`, or if nothing is stored when it
   * is undefined. `item.version` must be `(expectedVersion ?? 0) + 1`.
   */
  put(item: StoredItem, expectedVersion: number | undefined): Promise<WriteOutcome>;
  /** Deletes an item if its stored version is `expectedVersion`. */
  delete(cluster: string, sk: string, expectedVersion: number): Promise<WriteOutcome>;
}

/** A store that can also read one kind of item across every cluster (`silence list`, `expire`). */
export interface ScanningLedgerStore extends LedgerStore {
  /** Every item of every cluster whose sort key starts with `skPrefix`. */
  scan(skPrefix: string): Promise<readonly StoredItem[]>;
}

/** What the ledger was doing when it failed. */
export type LedgerOperation = 'load' | 'put' | 'delete' | 'decode' | 'options' | 'sourceHealth';

/** The ledger's storage failed or holds something it cannot read; keeps the original `cause`. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly operation: LedgerOperation,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Checks the version arithmetic every backend relies on; a mismatch is a programming error. */
export function assertNextVersion(item: StoredItem, expectedVersion: number | undefined): void {
  const next = (expectedVersion ?? 0) + 1;
  if (item.version !== next) {
    throw new LedgerError(
      'put',
      `ledger item ${item.pk}/${item.sk} has version ${item.version} but a write after version ` +
        `${expectedVersion ?? 'none'} must carry ${next}; this is a bug in the caller of the store`,
    );
  }
}

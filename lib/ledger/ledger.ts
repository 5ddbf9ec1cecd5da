/**
 * The ledger over a store: plans a run's transitions, claims them, and records them as notified
 * only after they were published.
 *
 * Protocol (compute → claim → publish → confirm), and why it neither loses nor doubles:
 *
 * 1. `plan` loads the cluster's items and reconciles them with the evaluation (pure). Nothing is
 *    written. Items another run has claimed (claim not lapsed) are left alone.
 * 2. `claim` applies every planned write as a conditional write on the version it read. A write
 *    that carries a transition also stores this run's claim id and a lapse time. The write that
 *    lands first wins; a run whose write finds another version has lost the race and drops that
 *    transition, because the winner notifies. Two overlapping runs therefore publish each
 *    transition once.
 * 3. The caller publishes the claimed transitions.
 * 4a. `confirm` (after a successful publish) records `lastNotified`, `notifiedStatus`,
 *    `notifiedSeverity` and clears the claim, again conditional on the claimed version. Only
 *    this write stops the transition from being owed.
 * 4b. `release` (after a failed publish) clears the claim without recording a notice: the
 *    transition is still owed and the next run plans it again. Nothing is lost.
 *
 * Failure cases: a run that dies between claim and confirm, or whose confirm write fails after
 * the publish went out, leaves a claimed, un-notified item. Once the claim lapses
 * (`claimTtlSeconds`, default 15 minutes, the Lambda limit; the Lambda handler passes its
 * invocation's remaining time plus a minute, since no write of a run lands after Lambda stops
 * it) the next run owes and publishes it again: at most one duplicate, never a drop. While the claim holds, other runs keep off the item,
 * so they can neither publish it nor bump its version under the claimer's confirm.
 *
 * Holds (silences, maintenance windows; silences.ts) act in step 1: a held notice is left out of
 * the plan's transitions, so it is never claimed and never confirmed. Its item is still written
 * (the finding is tracked), and because its `notified*` fields keep lagging, the first run after
 * the hold owes the notice and sends it through the same claim, once.
 */
import { randomUUID } from 'node:crypto';
import type { Evaluation, Severity, SourceStatus } from '../rules/model';
import { SEVERITIES } from '../rules/model';
import type { LedgerWrite, ReconcileOptions, ReconcileOptionsInput } from './reconcile';
import { checkDuration, epochSeconds, isoTime, reconcile, reconcileOptions } from './reconcile';
import type { SourceHealthReport } from './source-health';
import { recordSourceHealth } from './source-health';
import type { MaintenanceWindow } from '../config/maintenance';
import { holdsAt, isSilenceItem } from './silences';
import type {
  HeldNotice,
  LedgerItem,
  LedgerStore,
  StoredItem,
  Transition,
  WriteOutcome,
} from './types';
import { LedgerError } from './types';
import { forEachLimited } from '../util/concurrency';

/** Ledger tunables; every field has a default. */
export interface LedgerOptions extends ReconcileOptionsInput {
  /**
   * How long a claim keeps other runs off an item; should exceed a run's duration.
   * @default 900 (the Lambda maximum timeout)
   */
  readonly claimTtlSeconds?: number;
  /**
   * Failed runs in a row after which a source counts as unavailable.
   * @default 3
   */
  readonly sourceFailureThreshold?: number;
}

/** A run's planned changes; nothing is written yet. */
export interface Plan {
  readonly cluster: string;
  /** Epoch milliseconds the run evaluated at. */
  readonly now: number;
  readonly writes: readonly LedgerWrite[];
  /** Notifications owed, worst severity first. */
  readonly transitions: readonly Transition[];
  /** The cluster's finding items as this run leaves them (for "still firing" summaries). */
  readonly items: readonly LedgerItem[];
  /** Notices held by a silence or maintenance window; owed again by the first run after it. */
  readonly held: readonly HeldNotice[];
  /** Keys of every finding item under a hold this run, owing a notice or not. */
  readonly onHold: readonly string[];
}

/** What a run holds notices for besides the cluster's silences (which the ledger stores). */
export interface PlanOptions {
  /** The cluster's maintenance windows (config `maintenanceWindows`). */
  readonly maintenanceWindows?: readonly MaintenanceWindow[];
}

/** The transitions this run owns and must publish, then confirm or release. */
export interface Claim {
  readonly id: string;
  readonly cluster: string;
  readonly now: number;
  /** Claimed by this run: publish these. Each `item` is the claimed item. */
  readonly transitions: readonly Transition[];
  /** Planned but another run changed the item first; that run notifies. */
  readonly lostRace: readonly Transition[];
  /** Writes the store rejected; their transitions stay owed. */
  readonly failures: readonly WriteFailure[];
}

/** A write the store rejected (not a lost race), by sort key. */
export interface WriteFailure {
  readonly sk: string;
  readonly error: LedgerError;
}

/** How confirming or releasing went, per transition. */
export interface SettleResult {
  readonly settled: readonly Transition[];
  /** The item changed under the claim (only after the claim lapsed); it may repeat once. */
  readonly lostRace: readonly Transition[];
  /** The store rejected the write; after a publish, the notice repeats once the claim lapses. */
  readonly failures: readonly WriteFailure[];
}

/** What a publisher reports: fingerprints it could not deliver (they stay owed). */
export interface PublishOutcome {
  readonly undelivered: readonly string[];
}

/**
 * Publishes transitions; throws when nothing went out, or returns what did not go out.
 * Returning nothing means everything was delivered.
 */
export type Publish = (
  transitions: readonly Transition[],
  context?: { readonly items: readonly LedgerItem[]; readonly onHold?: readonly string[] },
) => Promise<PublishOutcome> | Promise<void>;

/** Summary of one `deliver` cycle. */
export interface DeliveryResult {
  /** The cluster's finding items as this run leaves them. */
  readonly items: readonly LedgerItem[];
  /** Owed but held by a silence or maintenance window; the first run after the hold sends them. */
  readonly held: readonly HeldNotice[];
  /** Keys of every finding item under a hold this run (messages leave them out). */
  readonly onHold: readonly string[];
  /** Published by this run. */
  readonly delivered: readonly Transition[];
  /** Left to an overlapping run that claimed them first. */
  readonly lostRace: readonly Transition[];
  /** Not delivered by the publisher; released, so the next run retries them. */
  readonly undelivered: readonly Transition[];
  /**
   * Writes the store rejected, while claiming or confirming. Nothing is lost (a failed claim is
   * retried next run, a failed confirm repeats once), but the caller should log and alarm.
   */
  readonly failures: readonly WriteFailure[];
}

const DEFAULT_CLAIM_TTL_SECONDS = 900;
const DEFAULT_SOURCE_FAILURE_THRESHOLD = 3;
/** Writes in flight at once: fast enough for hundreds of findings, gentle on the table. */
const WRITE_CONCURRENCY = 8;

/** Finding state and source health of clusters, over a conditional-write store. */
export class Ledger {
  private readonly reconcileOptions: ReconcileOptions;
  private readonly claimTtlSeconds: number;
  private readonly sourceFailureThreshold: number;

  constructor(
    private readonly store: LedgerStore,
    options: LedgerOptions = {},
  ) {
    this.reconcileOptions = reconcileOptions(options);
    this.claimTtlSeconds = checkDuration(
      'claimTtlSeconds',
      options.claimTtlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS,
    );
    const threshold = options.sourceFailureThreshold ?? DEFAULT_SOURCE_FAILURE_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 1) {
      throw new LedgerError(
        'options',
        `ledger option sourceFailureThreshold is ${threshold}; give a whole number of runs ≥ 1`,
      );
    }
    this.sourceFailureThreshold = threshold;
  }

  /** Loads the cluster's findings and computes what this run changes and owes; writes nothing. */
  async plan(
    cluster: string,
    evaluation: Evaluation,
    now: number,
    options: PlanOptions = {},
  ): Promise<Plan> {
    const stored = await this.store.load(cluster);
    const items = stored.filter(isFindingItem);
    // Silences share the cluster's partition, so the one Query that reads findings reads them.
    const hold = holdsAt(stored.filter(isSilenceItem), options.maintenanceWindows ?? [], now);
    const {
      writes,
      transitions,
      items: planned,
      held,
    } = reconcile(cluster, items, evaluation, now, this.reconcileOptions, hold);
    const onHold = planned.filter((i) => hold(i) !== undefined).map((i) => i.sk);
    return { cluster, now, writes, transitions, items: planned, held, onHold };
  }

  /**
   * Applies the plan's writes, claiming the items that carry transitions. A write the store
   * rejects is reported in `failures`, not thrown: its transition stays owed for the next run,
   * and one bad item must not hold back every other notice of the cluster.
   */
  async claim(plan: Plan): Promise<Claim> {
    const id = randomUUID();
    const claimExpiresAt = isoTime(plan.now + this.claimTtlSeconds * 1000);
    const owed = new Map(plan.transitions.map((t) => [t.item.sk, t]));
    const claimed: Transition[] = [];
    const lostRace: Transition[] = [];
    const failures: WriteFailure[] = [];
    await forEachLimited(plan.writes, WRITE_CONCURRENCY, async (write) => {
      try {
        if (write.op === 'delete') {
          await this.store.delete(write.pk, write.sk, write.expectedVersion);
          return;
        }
        const transition = owed.get(write.item.sk);
        const item = transition ? { ...write.item, claimId: id, claimExpiresAt } : write.item;
        const outcome = await this.store.put(item, write.expectedVersion);
        if (!transition) return;
        if (outcome === 'written') claimed.push({ ...transition, item });
        else lostRace.push(transition);
      } catch (error) {
        failures.push({
          sk: write.op === 'put' ? write.item.sk : write.sk,
          error: asLedgerError(error),
        });
      }
    });
    return {
      id,
      cluster: plan.cluster,
      now: plan.now,
      transitions: inPlanOrder(claimed, plan.transitions),
      lostRace: inPlanOrder(lostRace, plan.transitions),
      failures,
    };
  }

  /** Records claimed transitions as notified; call only after they were published. */
  async confirm(claim: Claim, fingerprints?: readonly string[]): Promise<SettleResult> {
    return this.settle(claim, fingerprints, (item, transition) => {
      const heard = heardSeverities(item);
      return withoutClaim({
        ...item,
        lastNotified: isoTime(claim.now),
        notifiedStatus: transition.kind === 'resolved' ? 'resolved' : 'firing',
        notifiedSeverity: item.severity,
        notifiedSeverities:
          transition.kind === 'resolved' ? heard : withSeverity(heard, item.severity),
        // The state people now know; a resolved notice leaves the episode's last one.
        ...(transition.kind !== 'resolved' && item.state !== undefined
          ? { notifiedState: item.state }
          : {}),
        notifyCount: item.notifyCount + 1,
        // A resolved item lives on only to recognise flaps; its TTL starts once the notice is out.
        ...(transition.kind === 'resolved'
          ? { expiresAt: epochSeconds(claim.now) + this.reconcileOptions.resolvedTtlSeconds }
          : {}),
      });
    });
  }

  /** Gives up claimed transitions without recording them, so the next run owes them again. */
  async release(claim: Claim, fingerprints?: readonly string[]): Promise<SettleResult> {
    return this.settle(claim, fingerprints, (item) => withoutClaim(item));
  }

  /**
   * One full cycle: plan, claim, publish, then confirm what was delivered and release the rest.
   * A publish that throws releases everything and rethrows; a failed load throws LedgerError.
   * Rejected writes are returned in `failures`. `publish` is not called when nothing is owed.
   */
  async deliver(
    cluster: string,
    evaluation: Evaluation,
    now: number,
    publish: Publish,
    options: PlanOptions = {},
  ): Promise<DeliveryResult> {
    const plan = await this.plan(cluster, evaluation, now, options);
    const claim = await this.claim(plan);
    if (claim.transitions.length === 0) {
      return {
        items: plan.items,
        held: plan.held,
        onHold: plan.onHold,
        delivered: [],
        lostRace: claim.lostRace,
        undelivered: [],
        failures: claim.failures,
      };
    }
    let outcome: PublishOutcome | undefined;
    try {
      // A publisher that returns nothing resolves to undefined: everything was delivered.
      outcome = (await publish(claim.transitions, { items: plan.items, onHold: plan.onHold })) as
        PublishOutcome | undefined;
    } catch (error) {
      // A release that fails too only delays the retry until the claim lapses.
      await this.release(claim);
      throw error;
    }
    const undeliveredKeys = new Set(outcome?.undelivered ?? []);
    const delivered = claim.transitions.filter((t) => !undeliveredKeys.has(t.item.sk));
    const undelivered = claim.transitions.filter((t) => undeliveredKeys.has(t.item.sk));
    const released =
      undelivered.length > 0 ? await this.release(claim, [...undeliveredKeys]) : undefined;
    const confirmed = await this.confirm(
      claim,
      delivered.map((t) => t.item.sk),
    );
    // A confirm that lost its race means the claim lapsed mid-run and another run took over.
    const lapsed = confirmed.lostRace.map((t) => ({
      sk: t.item.sk,
      error: new LedgerError(
        'put',
        `the claim on ${cluster}/${t.item.sk} lapsed before it was confirmed, so the notice may ` +
          'repeat once; raise claimTtlSeconds above the longest run',
      ),
    }));
    return {
      items: plan.items,
      held: plan.held,
      onHold: plan.onHold,
      delivered,
      lostRace: claim.lostRace,
      undelivered,
      failures: [
        ...claim.failures,
        ...confirmed.failures,
        ...lapsed,
        ...(released?.failures ?? []),
      ],
    };
  }

  /**
   * Counts consecutive failed runs per source and says which count as unavailable: after
   * `sourceFailureThreshold` failed runs, or at once when every source of the run failed.
   */
  async recordSourceHealth(
    cluster: string,
    sources: readonly SourceStatus[],
    now: number,
  ): Promise<SourceHealthReport> {
    return recordSourceHealth(this.store, cluster, sources, now, this.sourceFailureThreshold);
  }

  private async settle(
    claim: Claim,
    fingerprints: readonly string[] | undefined,
    next: (item: LedgerItem, transition: Transition) => LedgerItem,
  ): Promise<SettleResult> {
    const wanted = fingerprints ? new Set(fingerprints) : undefined;
    const chosen = claim.transitions.filter((t) => !wanted || wanted.has(t.item.sk));
    const settled: Transition[] = [];
    const lostRace: Transition[] = [];
    const failures: WriteFailure[] = [];
    await forEachLimited(chosen, WRITE_CONCURRENCY, async (transition) => {
      const item = { ...next(transition.item, transition), version: transition.item.version + 1 };
      try {
        const outcome: WriteOutcome = await this.store.put(item, transition.item.version);
        (outcome === 'written' ? settled : lostRace).push({ ...transition, item });
      } catch (error) {
        failures.push({ sk: transition.item.sk, error: asLedgerError(error) });
      }
    });
    return {
      settled: inPlanOrder(settled, chosen),
      lostRace: inPlanOrder(lostRace, chosen),
      failures,
    };
  }
}

/** The episode's notified severities plus one, worst first and without repeats. */
/**
 * The severities an item's open episode was notified at. Items written before
 * notifiedSeverities existed know only the last one, which must not be lost on a downgrade.
 */
function heardSeverities(item: LedgerItem): readonly Severity[] | undefined {
  if (item.notifiedSeverities !== undefined) return item.notifiedSeverities;
  return item.notifiedStatus === 'firing' && item.notifiedSeverity !== undefined
    ? [item.notifiedSeverity]
    : undefined;
}

function withSeverity(
  severities: readonly Severity[] | undefined,
  severity: Severity,
): readonly Severity[] {
  return SEVERITIES.filter((s) => s === severity || (severities ?? []).includes(s));
}

function withoutClaim(item: LedgerItem): LedgerItem {
  const rest = { ...item };
  delete rest.claimId;
  delete rest.claimExpiresAt;
  return rest;
}

/** Restores the plan's order (worst first) after concurrent writes finished in any order. */
function inPlanOrder(subset: readonly Transition[], order: readonly Transition[]): Transition[] {
  const rank = new Map(order.map((t, index) => [t.item.sk, index]));
  return [...subset].sort((a, b) => (rank.get(a.item.sk) ?? 0) - (rank.get(b.item.sk) ?? 0));
}

function asLedgerError(error: unknown): LedgerError {
  return error instanceof LedgerError
    ? error
    : new LedgerError('put', messageOf(error), { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Type guard for finding items among everything stored under a cluster. */
export function isFindingItem(item: StoredItem): item is LedgerItem {
  return item.type === 'finding';
}

/** What a rule is: metadata beside a pure evaluate function, and the helpers to declare one. */
import type { DataTable } from './data/table';
import type { ClusterSnapshot, DatedCondition, Severity, SnapshotPart, Subject } from './model';
import type { Policy } from './policy';

/** What a rule returns for one problem; the engine adds fingerprint, runbook and overrides. */
export interface RuleFinding {
  /** Defaults to the rule's severity (rules with two forms set it per finding). */
  readonly severity?: Severity;
  readonly subject: Subject;
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly since?: string;
  /** Defaults to the rule's `forSeconds` (ApiServerVersionSkew's warning form waits 1h). */
  readonly forSeconds?: number;
}

/** A rule's way of saying it cannot decide on this snapshot, and why. */
export interface Skip {
  readonly skip: string;
}

/** Findings from input the rule could only partly judge, and what it could not. */
export interface PartialResult {
  readonly findings: readonly RuleFinding[];
  readonly partial: string;
}

/** Everything besides the snapshot that a rule may read: no clock, no environment. */
export interface RuleContext {
  readonly cluster: string;
  /** Evaluation time in epoch milliseconds, passed in by the caller. */
  readonly now: number;
  readonly policy: Policy;
}

/** A severity a rule gives instead of its default in one case. */
export interface SeverityForm {
  readonly severity: Severity;
  /** The case, completing "critical when …": `no replica is available`. */
  readonly when: string;
  /** The `for` of this form when it differs from the rule's (read back by sources with history). */
  readonly forSeconds?: number;
}

/** Which half of the catalogue a rule belongs to. */
export type RuleCategory = 'skew' | 'rollout' | 'readiness' | 'gitops' | 'drift' | 'checker';

/**
 * What the ledger keeps of a finding's last firing form, the only input of a resolved notice:
 * the condition is gone, so there is no current finding to word it from. `details` may have had
 * big arrays cut to `{ truncated, count, first }` by the ledger (lib/rules/resolved.ts reads both).
 */
export interface LastFinding {
  readonly subject: Subject;
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** A rule: metadata beside its logic (docs/architecture.md, Conventions #1). */
export interface Rule {
  /** Stable PascalCase id. */
  readonly id: string;
  readonly title: string;
  /** The healthy state the rule checks for, in one sentence. */
  readonly description: string;
  readonly category: RuleCategory;
  /** Default severity, as the README's rule table gives it. */
  readonly severity: Severity;
  /** The other severities a finding of this rule can take, and when: shown by `skewguard rules`. */
  readonly otherSeverities?: readonly SeverityForm[];
  /** Default `for` in seconds: how long the condition must hold before it fires. */
  readonly forSeconds: number;
  /** For checker rules counted in runs rather than time. */
  readonly forRuns?: number;
  /**
   * The condition whose start a source with history (Prometheus) reads to date this rule's
   * findings; the source reads back at least this rule's `for`.
   */
  readonly dates?: DatedCondition;
  /** Snapshot parts that must be collected for the rule to decide. */
  readonly needs: readonly SnapshotPart[];
  /**
   * Shipped data tables the rule reads (lib/rules/data): an evaluated rule puts each table's
   * date and sources in the run's notes, and says so there when the table is stale.
   */
  readonly tables?: readonly DataTable[];
  /** Runbook file name under docs/runbooks. */
  readonly runbook: string;
  /**
   * The resolved notice, worded from the last firing finding: what changed, in the past tense and
   * without instructions, e.g. `No kubelet on 1.26 is out of policy any more (was: 4 nodes on
   * 1.26)`. Pure. Optional in the type so a rule stays one object literal, but the catalogue test
   * requires it of every rule, with its exact text pinned (test/unit/rules/resolved.test.ts).
   */
  readonly resolved?: (last: LastFinding) => string;
  /**
   * Paths into `details` (dotted for nested fields, e.g. `cause.kind`; `*` for each entry of a
   * list, e.g. `blockers.*.component`) whose values decide
   * whether a still-firing finding changed materially and is notified again as changed. Absent:
   * the summary text decides. Rules declare it when their summary carries counts that move
   * without anything a person would act on (restarts, days left, runs in a row).
   */
  readonly materialKeys?: readonly string[];
  /** Pure: snapshot and context in, findings (or a reason it cannot decide) out. */
  evaluate(
    snapshot: ClusterSnapshot,
    ctx: RuleContext,
  ): readonly RuleFinding[] | Skip | PartialResult;
}

/** Narrows a rule result to the skip form. */
export function isSkip(result: readonly RuleFinding[] | Skip | PartialResult): result is Skip {
  return !Array.isArray(result) && 'skip' in result;
}

/** Narrows a rule result to the partial form. */
export function isPartialResult(
  result: readonly RuleFinding[] | PartialResult,
): result is PartialResult {
  return 'partial' in result;
}

/** Builds a partial result: `findings`, with what could not be judged (`partial` of none: plain). */
export function partialResult(
  findings: readonly RuleFinding[],
  partial: string | undefined,
): readonly RuleFinding[] | PartialResult {
  return partial === undefined ? findings : { findings, partial };
}

/** Builds a skip result. */
export function skip(reason: string): Skip {
  return { skip: reason };
}

/** Declares a rule; fills the runbook name from the id. */
export function defineRule(rule: Omit<Rule, 'runbook'>): Rule {
  return { ...rule, runbook: `${rule.id}.md` };
}

/** Seconds in a minute / hour, for readable `for` values in rule metadata. */
export const MINUTE = 60;
/** Seconds in an hour. */
export const HOUR = 3600;

/**
 * Machine messages: one JSON document per transition, for pagers, chat bridges and scripts.
 * `dedupKey` is the finding's fingerprint, so a pager folds firing, repeat and resolved of one
 * finding into one incident.
 */
import type { Transition, TransitionKind } from '../ledger/types';
import type { Severity, Subject } from '../rules/model';
import { asciiSubject, byteLength, clip, subjectText } from './human';
import type { MessageAttributes } from './publisher';
import { transitionKey } from './publisher';

/** SNS's limit for one message, body and attributes together. */
export const SNS_MAX_MESSAGE_BYTES = 256 * 1024;

/** Default body budget: SNS's limit less room for attributes and subject. */
export const DEFAULT_MAX_MACHINE_BYTES = SNS_MAX_MESSAGE_BYTES - 8 * 1024;

/** The JSON body of a machine message (schema version 1). */
export interface MachineNotification {
  readonly version: 1;
  readonly status: TransitionKind;
  /** The finding's fingerprint: stable across runs, equal for firing, repeat and resolved. */
  readonly dedupKey: string;
  readonly cluster: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly subject: Subject;
  readonly summary: string;
  /** The rule's evidence; big arrays cut to `{ truncated, count, first }` when over budget. */
  readonly details: Readonly<Record<string, unknown>>;
  /** When the condition began, when the rule could tell. */
  readonly since?: string;
  /** When the ledger first saw this episode. */
  readonly firstSeen: string;
  /** For `resolved`: when a run found the condition gone. */
  readonly resolvedAt?: string;
  readonly runbookUrl: string;
  /** When this transition happened: the run time, or `resolvedAt` for a resolution. */
  readonly occurredAt: string;
  /** Present (true) when `details` or `summary` were cut to fit. */
  readonly truncated?: true;
}

/** A rendered machine message. */
export interface MachineMessage {
  readonly subject: string;
  readonly body: string;
  readonly notification: MachineNotification;
  readonly attributes: MessageAttributes;
  readonly carries: readonly string[];
}

/** Tunables of machine messages. */
export interface MachineRenderOptions {
  /**
   * Largest body in UTF-8 bytes.
   * @default 253952 (256 KB less 8 KB for attributes)
   */
  readonly maxBytes?: number;
}

/** A summary is one line; anything longer than this is a rule bug, cut rather than sent. */
const MAX_SUMMARY_LENGTH = 2000;

/** Renders the machine message of one transition. */
export function renderMachine(
  transition: Transition,
  cluster: string,
  runAt: string,
  options: MachineRenderOptions = {},
): MachineMessage {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MACHINE_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 4096 || maxBytes > SNS_MAX_MESSAGE_BYTES) {
    throw new RangeError(
      `machine message option maxBytes is ${maxBytes}; give a whole number from 4096 to ${SNS_MAX_MESSAGE_BYTES} (SNS's limit)`,
    );
  }
  const { finding, item, kind } = transition;
  const summary = clip(finding.summary, MAX_SUMMARY_LENGTH);
  const base: MachineNotification = {
    version: 1,
    status: kind,
    dedupKey: finding.fingerprint,
    cluster,
    ruleId: finding.ruleId,
    severity: finding.severity,
    subject: finding.subject,
    summary,
    details: {},
    ...(finding.since !== undefined ? { since: finding.since } : {}),
    firstSeen: item.firstSeen,
    ...(kind === 'resolved' && item.resolvedAt !== undefined
      ? { resolvedAt: item.resolvedAt }
      : {}),
    runbookUrl: finding.runbookUrl,
    occurredAt: kind === 'resolved' ? (item.resolvedAt ?? runAt) : runAt,
  };
  // Room left for details once everything else (and a `truncated` flag) is in.
  const budget = maxBytes - byteLength(JSON.stringify({ ...base, truncated: true }));
  const fitted = fitDetails(finding.details, budget);
  const notification: MachineNotification = {
    ...base,
    details: fitted.details,
    ...(fitted.truncated || summary !== finding.summary ? { truncated: true as const } : {}),
  };
  return {
    subject: asciiSubject(
      `[${finding.severity.toUpperCase()} ${kind.toUpperCase()}] ${cluster}: ${finding.ruleId} ${subjectText(finding.subject)}`,
    ),
    body: JSON.stringify(notification),
    notification,
    attributes: {
      audience: 'machine',
      severity: finding.severity,
      cluster,
      status: kind,
      ruleId: finding.ruleId,
    },
    carries: [transitionKey(transition)],
  };
}

/** Result of fitting details into a byte budget. */
export interface FittedDetails {
  readonly details: Readonly<Record<string, unknown>>;
  readonly truncated: boolean;
}

/** Shrinking steps, gentlest first: [items kept per array, characters kept per string]. */
const SHRINK_STEPS: readonly (readonly [number, number])[] = [
  [50, 4000],
  [20, 1000],
  [5, 200],
  [1, 100],
];

/**
 * Fits details into `budget` bytes of JSON: arrays longer than N become
 * `{ truncated: true, count, first: [first N] }` and long strings are cut, with N shrinking
 * until it fits; as a last resort only the keys are kept, with a note.
 */
export function fitDetails(
  details: Readonly<Record<string, unknown>>,
  budget: number,
): FittedDetails {
  if (jsonBytes(details) <= budget) return { details, truncated: false };
  for (const [keep, maxString] of SHRINK_STEPS) {
    const shrunk = shrink(details, keep, maxString, 0) as Record<string, unknown>;
    if (jsonBytes(shrunk) <= budget) return { details: shrunk, truncated: true };
  }
  const keys = Object.keys(details);
  const fallback = {
    note: `details were ${jsonBytes(details)} bytes, over the ${budget}-byte budget; run skewguard check for the full evidence`,
    keys: keys.slice(0, 50),
    ...(keys.length > 50 ? { keyCount: keys.length } : {}),
  };
  return { details: jsonBytes(fallback) <= budget ? fallback : {}, truncated: true };
}

/** Deepest nesting kept; rule details are a few levels deep at most. */
const MAX_DEPTH = 8;

function shrink(value: unknown, keep: number, maxString: number, depth: number): unknown {
  if (typeof value === 'string') return clip(value, maxString);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) {
    const first = value.slice(0, keep).map((v) => shrink(v, keep, maxString, depth + 1));
    return value.length > keep ? { truncated: true, count: value.length, first } : first;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  // Objects keyed by data (node names, minors) grow like arrays; cut them the same way.
  const limit = Math.max(keep, 20);
  const kept = Object.fromEntries(
    entries.slice(0, limit).map(([k, v]) => [k, shrink(v, keep, maxString, depth + 1)]),
  );
  return entries.length > limit ? { ...kept, truncatedKeys: entries.length - limit } : kept;
}

function jsonBytes(value: unknown): number {
  return byteLength(JSON.stringify(value));
}

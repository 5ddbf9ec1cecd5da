/** When saved input was captured, as far as its own timestamps tell: the time a file run is evaluated at. */
import { isRecord } from '../kube-objects';

/**
 * Keys whose values are times the cluster wrote before the output was saved: node heartbeats,
 * condition transitions, container starts and ends, events, creation, Argo CD's reconciledAt
 * (written at every reconcile), and --save-snapshot's own collectedAt. deletionTimestamp is left
 * out: it lies in the future during a grace period.
 */
const TIME_KEYS: ReadonlySet<string> = new Set([
  'lastHeartbeatTime',
  'lastTransitionTime',
  'lastUpdateTime',
  'lastProbeTime',
  'startedAt',
  'finishedAt',
  'startTime',
  'creationTimestamp',
  'firstTimestamp',
  'lastTimestamp',
  'eventTime',
  'reconciledAt',
  'collectedAt',
]);

/** RFC 3339 as Kubernetes writes it (`2026-11-21T12:00:00Z`, with fractions or an offset). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The newest timestamp anywhere in the documents, as epoch ms, or undefined when they hold none.
 * The output was saved no earlier, so it is a lower bound for the capture time. Walked with an
 * explicit stack: the input's nesting is already capped, but recursion would still cost frames.
 */
export function newestTimestamp(documents: readonly unknown[]): number | undefined {
  let newest: number | undefined;
  const stack: unknown[] = [...documents];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    if (!isRecord(value)) continue;
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'object' && item !== null) stack.push(item);
      else if (typeof item === 'string' && TIME_KEYS.has(key) && RFC3339.test(item)) {
        const ms = Date.parse(item);
        if (Number.isFinite(ms) && (newest === undefined || ms > newest)) newest = ms;
      }
    }
  }
  return newest;
}

/** The time a file run is evaluated at, and the note that says where it came from. */
export interface AsOf {
  readonly collectedAt: string;
  readonly note: string;
}

/**
 * Chooses the evaluation time of file input: `--as-of` when given, else the newest timestamp in
 * the input, else the clock (said in a note, since nothing then dates the input). A newest
 * timestamp after the clock is clock skew between machines; the clock wins, with a note.
 */
export function chooseAsOf(
  documents: readonly unknown[],
  clock: string,
  asOf: string | undefined,
): AsOf {
  const newest = newestTimestamp(documents);
  const newestText = newest === undefined ? undefined : new Date(newest).toISOString();
  if (asOf !== undefined) {
    const given = new Date(Date.parse(asOf)).toISOString();
    const later =
      newest !== undefined && newest > Date.parse(asOf)
        ? `; the input holds a later timestamp (${newestText ?? ''}), so it was saved after that: check --as-of`
        : '';
    return { collectedAt: given, note: `evaluated as of ${given}, given by --as-of${later}` };
  }
  if (newest === undefined || newestText === undefined) {
    return {
      collectedAt: clock,
      note: `the input holds no timestamps, so it is evaluated as of this run (${clock}); pass --as-of TIME with when it was saved`,
    };
  }
  if (newest > Date.parse(clock)) {
    return {
      collectedAt: clock,
      note: `the input's newest timestamp (${newestText}) is later than this machine's clock (${clock}), so it is evaluated as of the clock; check the clocks of this machine and the cluster`,
    };
  }
  return {
    collectedAt: newestText,
    note: `evaluated as of ${newestText}, the newest timestamp in the input (it was saved no earlier); pass --as-of TIME if you know when it was saved`,
  };
}

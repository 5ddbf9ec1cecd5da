/**
 * Fits a finding's structured evidence into a byte budget, for the machine message (SNS's
 * 256 KB) and the ledger item (DynamoDB's 400 KB): big arrays keep their first entries and their
 * count, long strings are cut.
 */

/** UTF-8 size, the unit of SNS's and DynamoDB's size limits. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts `text` to `max` characters, ending with `...` when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 3))}...`;
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

/** UTF-8 bytes of a value's JSON. */
export function jsonBytes(value: unknown): number {
  return byteLength(JSON.stringify(value));
}

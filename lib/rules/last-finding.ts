/** Readers rules use to word a resolved notice from the evidence the ledger kept (`LastFinding`). */
import type { Subject } from './model';
import type { LastFinding } from './rule';
import { listNames, plural } from './text';

/** A details string, or undefined when absent or not a string. */
export function textOf(last: LastFinding, key: string): string | undefined {
  const value = last.details[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A details number, or undefined when absent or not a finite number. */
export function numberOf(last: LastFinding, key: string): number | undefined {
  const value = last.details[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * How many entries a details list had: its length, or the `count` the ledger kept when it cut
 * the list to `{ truncated, count, first }`.
 */
export function countOf(last: LastFinding, key: string): number | undefined {
  const value = last.details[key];
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) {
    const count = (value as Record<string, unknown>)['count'];
    if (typeof count === 'number') return count;
  }
  return undefined;
}

/** The strings of a details list (the kept first entries when the ledger cut it). */
export function listOf(last: LastFinding, key: string): string[] {
  const value = last.details[key];
  const entries: unknown =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)['first']
      : value;
  if (!Array.isArray(entries)) return [];
  return entries.filter((e): e is string => typeof e === 'string');
}

/**
 * A nested details value by dotted path (`cause.kind`); `*` maps the rest of the path over a
 * list (`blockers.*.component` gives each blocker's component).
 */
export function pathOf(details: unknown, path: string): unknown {
  const [key, ...rest] = path.split('.');
  if (key === undefined || key === '') return details;
  if (key === '*') {
    return Array.isArray(details) ? details.map((d) => pathOf(d, rest.join('.'))) : undefined;
  }
  if (typeof details !== 'object' || details === null) return undefined;
  return pathOf((details as Record<string, unknown>)[key], rest.join('.'));
}

/** `shop/web`, or `web` for a subject without a namespace. */
export function workloadName(subject: Subject): string {
  return subject.namespace !== undefined && subject.namespace !== ''
    ? `${subject.namespace}/${subject.name}`
    : subject.name;
}

/** ` (was: a, b)` from the parts that are known; '' when none is. */
export function wasText(parts: readonly (string | undefined)[]): string {
  const known = parts.filter((p): p is string => p !== undefined && p !== '');
  return known.length === 0 ? '' : ` (was: ${known.join(', ')})`;
}

/** `4 nodes` when the count is known, else undefined. */
export function countText(count: number | undefined, noun: string): string | undefined {
  return count === undefined ? undefined : plural(count, noun);
}

/** `1.29 and 1.30` from a list, or undefined when empty. */
export function namesText(names: readonly string[]): string | undefined {
  return names.length === 0 ? undefined : listNames(names, 4);
}

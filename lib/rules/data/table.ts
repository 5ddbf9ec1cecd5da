/** What every shipped data table says about itself: its sources, when it was made, until when it holds. */

/** A page a table's rows were taken from. */
export interface TableSource {
  readonly title: string;
  readonly url: string;
}

/** A table's provenance, shown in the run's notes whenever a rule that reads it is evaluated. */
export interface DataTable {
  /** Short name for notes and details: `Kubernetes and EKS support dates`. */
  readonly name: string;
  /** ISO date the rows were last checked against the sources. */
  readonly madeOn: string;
  /**
   * ISO date until which the table is trusted to be complete: about one Kubernetes release cycle
   * after `madeOn`, since each cycle adds a minor and may move dates. A check after it says so.
   */
  readonly coversUntil: string;
  readonly sources: readonly TableSource[];
  /** How to refresh it, for the stale note. */
  readonly update: string;
}

const DAY_MS = 86_400_000;

/** Whether a check at `now` runs later than the table covers. */
export function isStale(table: DataTable, now: number): boolean {
  return now >= Date.parse(`${table.coversUntil}T00:00:00Z`) + DAY_MS;
}

/** The note every evaluated rule's tables add: name, date and sources. */
export function usedNote(table: DataTable): string {
  return `${table.name}: skewguard's table made ${table.madeOn}, from ${table.sources.map((s) => s.url).join(', ')}.`;
}

/** The note a stale table adds: the check runs past the table's last covered date. */
export function staleNote(table: DataTable, now: number): string {
  return `${table.name}: the table covers checks until ${table.coversUntil}, but this one ran on ${isoDay(now)}; newer releases and changed dates are missing from it. ${table.update}`;
}

/** Appended to finding summaries built on a stale table, so the doubt travels with the finding. */
export function staleSuffix(table: DataTable, now: number): string {
  return isStale(table, now)
    ? ` (skewguard's table "${table.name}" only covers checks until ${table.coversUntil}: verify the dates.)`
    : '';
}

/** Provenance every finding built on a table carries in its details. */
export function tableDetails(table: DataTable, now: number): Record<string, unknown> {
  return {
    name: table.name,
    madeOn: table.madeOn,
    coversUntil: table.coversUntil,
    stale: isStale(table, now),
  };
}

/** `2026-12-07` for an epoch-millisecond time. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Epoch milliseconds of an ISO date (`2026-03-23`) or time; NaN when it is not one. */
export function dayStart(date: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date);
}

/** Whole days from `now` until `date` (negative once it has passed). */
export function daysUntil(date: string, now: number): number {
  return Math.floor((dayStart(date) - now) / DAY_MS);
}

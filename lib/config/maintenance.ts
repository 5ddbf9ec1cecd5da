/**
 * Maintenance windows: a standard 5-field cron (minute hour day-of-month month day-of-week) that
 * opens the window, a duration, and the IANA time zone the cron reads its clock in; and the test
 * whether a moment falls inside one, which the ledger uses to hold notifications.
 */

/** A validated window as the typed config keeps it (the cron as written, duration in seconds). */
export interface MaintenanceWindow {
  /** Standard 5-field cron, e.g. `0 22 * * SAT` (Saturdays 22:00). */
  readonly cron: string;
  /** How long the window stays open after each start. */
  readonly durationSeconds: number;
  /** IANA time zone the cron's fields are read in. */
  readonly timezone: string;
}

/**
 * The longest window: 7 days. Deciding whether a moment is inside walks back minute by minute
 * over the duration, and a window longer than a week would hold notices for good.
 */
export const MAX_WINDOW_SECONDS = 7 * 86400;

/** What a window's cron may look like, for error messages. */
export const WINDOW_CRON_FORMAT =
  "5 cron fields '<minute> <hour> <day-of-month> <month> <day-of-week>' (standard cron, not EventBridge's cron(...)), e.g. '0 22 * * SAT' or '30 1 * * 1-5'";

/** A parsed cron: the allowed values of each field; `anyDay*` say whether a day field was `*`. */
interface CronSpec {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly anyDayOfMonth: boolean;
  readonly anyDayOfWeek: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** First value `names` stands for (months count from 1, days from 0). */
  readonly nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  // 7 is Sunday too, as in most crons.
  { name: 'day-of-week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

/** Parses a window's cron; a string result is the problem, to be shown after the value. */
export function parseWindowCron(expression: string): CronSpec | string {
  if (/^cron\(/i.test(expression.trim())) {
    return `EventBridge's cron(...) form is for schedules; a window takes ${WINDOW_CRON_FORMAT}`;
  }
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `${fields.length} fields; a window takes ${WINDOW_CRON_FORMAT}`;
  const sets: Set<number>[] = [];
  for (const [index, spec] of FIELDS.entries()) {
    const parsed = parseField(fields[index] ?? '', spec);
    if (typeof parsed === 'string') return parsed;
    sets.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    anyDayOfMonth: fields[2] === '*',
    anyDayOfWeek: fields[4] === '*',
  };
}

function parseField(text: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!match) return `${spec.name} field "${text}" is not a value, range, list or step`;
    const [, range = '', stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return `${spec.name} field "${text}" has a step of 0; use 1 or more`;
    let low: number;
    let high: number;
    if (range === '*') {
      low = spec.min;
      high = spec.max === 7 ? 6 : spec.max;
    } else {
      const [from = '', to, extra] = range.split('-');
      if (extra !== undefined) return `${spec.name} field "${text}" has a range with two dashes`;
      const a = valueOf(from, spec);
      const b = to === undefined ? (stepText === undefined ? a : spec.max) : valueOf(to, spec);
      if (a === undefined || b === undefined) {
        return `${spec.name} field "${text}" is outside ${spec.min}-${spec.max}${spec.names ? ` (or ${spec.names[0] ?? ''}-${spec.names[spec.names.length - 1] ?? ''})` : ''}`;
      }
      if (a > b) return `${spec.name} field "${text}" runs backwards; write the lower value first`;
      low = a;
      high = b;
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function valueOf(text: string, spec: FieldSpec): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (spec.nameBase ?? 0);
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

/** The wall-clock fields of a moment in a time zone. */
interface LocalTime {
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly month: number;
  readonly weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function localTime(format: Intl.DateTimeFormat, epochMs: number): LocalTime {
  const parts = Object.fromEntries(format.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return {
    minute: Number(parts['minute']),
    // Some engines print midnight as 24 with hour12: false.
    hour: Number(parts['hour']) % 24,
    day: Number(parts['day']),
    month: Number(parts['month']),
    weekday: WEEKDAYS[parts['weekday'] ?? ''] ?? -1,
  };
}

/** Standard cron: when both day fields are restricted, either one matching is enough. */
function matches(cron: CronSpec, t: LocalTime): boolean {
  if (!cron.minutes.has(t.minute) || !cron.hours.has(t.hour) || !cron.months.has(t.month))
    return false;
  const dom = cron.daysOfMonth.has(t.day);
  const dow = cron.daysOfWeek.has(t.weekday);
  if (cron.anyDayOfMonth) return dow;
  if (cron.anyDayOfWeek) return dom;
  return dom || dow;
}

/**
 * When the window that holds `now` closes (epoch ms), or undefined when `now` is outside every
 * opening: a start is a minute the cron matches in the window's time zone, and the window holds
 * from that minute for `durationSeconds`.
 */
export function windowEndAt(window: MaintenanceWindow, now: number): number | undefined {
  const cron = parseWindowCron(window.cron);
  if (typeof cron === 'string') return undefined;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: window.timezone,
    hourCycle: 'h23',
    minute: 'numeric',
    hour: 'numeric',
    day: 'numeric',
    month: 'numeric',
    weekday: 'short',
  });
  const minuteMs = 60_000;
  const thisMinute = Math.floor(now / minuteMs) * minuteMs;
  const durationMs = Math.min(window.durationSeconds, MAX_WINDOW_SECONDS) * 1000;
  // The latest start at or before now; its window ends last, so it decides when the hold ends.
  for (let start = thisMinute; start > now - durationMs; start -= minuteMs) {
    if (matches(cron, localTime(format, start))) return start + durationMs;
  }
  return undefined;
}

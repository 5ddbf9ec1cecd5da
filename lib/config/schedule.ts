/**
 * EventBridge Scheduler expressions: `rate(5 minutes)` or `cron(min hour dom month dow year)`,
 * and the period between runs, which sizes the retry window and the heartbeat alarm.
 */

/** A validated schedule expression and the (estimated) seconds between two runs. */
export interface ScheduleSpec {
  readonly expression: string;
  readonly periodSeconds: number;
}

/**
 * The slowest schedule skewguard accepts: one run every 6 days. A cluster's heartbeat alarm must
 * span a run gap plus one alarm period (a day) of slack, and a CloudWatch alarm looks back at most
 * 7 days; a weekly run would leave no slack and the alarm would flap before every run.
 */
export const MAX_SCHEDULE_PERIOD_SECONDS = 6 * 86400;

/** Why a schedule is too slow for its heartbeat alarm, or undefined when it runs often enough. */
export function tooSlowForHeartbeat(spec: ScheduleSpec): string | undefined {
  if (spec.periodSeconds <= MAX_SCHEDULE_PERIOD_SECONDS) return undefined;
  const days = Math.round((spec.periodSeconds / 86400) * 10) / 10;
  return `runs only every ${days} days, but the heartbeat alarm can look back at most 7 days (CloudWatch's limit) and needs a day of slack past the run gap, or it fires between runs; the slowest schedule allowed is every 6 days, e.g. rate(6 days) or cron(0 8 ? * MON,THU *)`;
}

/** What a schedule may look like, for error messages. */
export const SCHEDULE_FORMAT =
  "rate(<n> minute|minutes|hour|hours|day|days), e.g. 'rate(5 minutes)', or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), e.g. 'cron(0/10 * * * ? *)'";

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;
const CRON_FIELD = /^[0-9A-Za-z*?,/#-]+$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/** Parses a schedule; a string result is the problem, to be shown after the value. */
export function parseSchedule(expression: string): ScheduleSpec | string {
  const rate = RATE.exec(expression);
  if (rate) return parseRate(expression, Number(rate[1]), rate[2] ?? '');
  const cron = CRON.exec(expression);
  if (cron) return parseCron(expression, cron[1] ?? '');
  if (expression.startsWith('at(')) {
    return 'one-time at(...) schedules run once; skewguard needs a recurring rate(...) or cron(...)';
  }
  return `not a schedule expression; expected ${SCHEDULE_FORMAT}`;
}

function parseRate(expression: string, value: number, unit: string): ScheduleSpec | string {
  const singular = unit.replace(/s$/, '');
  if (value < 1) return 'a rate must be at least 1 (rate(1 minute))';
  // Scheduler rejects `rate(1 minutes)` and `rate(5 minute)`.
  if (value === 1 && unit !== singular) return `use the singular: rate(1 ${singular})`;
  if (value > 1 && unit === singular) return `use the plural: rate(${value} ${singular}s)`;
  return { expression, periodSeconds: value * (UNIT_SECONDS[singular] ?? 0) };
}

function parseCron(expression: string, body: string): ScheduleSpec | string {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `${fields.length} cron fields; Scheduler cron takes 6: minutes hours day-of-month month day-of-week year`;
  }
  const bad = fields.find((f) => !CRON_FIELD.test(f));
  if (bad !== undefined) return `cron field "${bad}" has characters cron does not allow`;
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return 'exactly one of day-of-month and day-of-week must be "?" (e.g. cron(0 8 * * ? *))';
  }
  const period = restrictedToSomeMonths(month, year, dayOfMonth, dayOfWeek)
    ? MONTH_SECONDS
    : cronPeriod(minutes, hours, dayOfMonth, dayOfWeek);
  return { expression, periodSeconds: period };
}

const MONTH_SECONDS = 28 * 86400;

/**
 * Whether a cron runs in some months or years only, or once a month (`MON#1`, `L`, `15W`): then
 * the gap between some two runs is at least a month, whatever the finer fields say.
 */
function restrictedToSomeMonths(
  month: string,
  year: string,
  dayOfMonth: string,
  dayOfWeek: string,
): boolean {
  const every = (field: string): boolean => field === '*' || field === '?';
  const everyMonth = every(month) || /^(1-12|JAN-DEC|\*\/1)$/i.test(month);
  return !everyMonth || !every(year) || /[#L]/i.test(dayOfWeek) || /[LW]/i.test(dayOfMonth);
}

/**
 * The shortest gap between two runs of a cron expression, estimated from its fields: the
 * minute step when it fires several times an hour, else the hour step, else a day, a week
 * (one weekday) or a month (one day of the month).
 */
function cronPeriod(minutes: string, hours: string, dayOfMonth: string, dayOfWeek: string): number {
  const minuteGap = fieldGap(minutes, 60);
  if (minuteGap < 60) return minuteGap * 60;
  const hourGap = fieldGap(hours, 24);
  if (hourGap < 24) return hourGap * 3600;
  if (dayOfWeek !== '?' && dayOfWeek !== '*') return fieldGap(dayOfWeek, 7) * 86400;
  if (dayOfMonth !== '?' && dayOfMonth !== '*') return fieldGap(dayOfMonth, 31) * 86400;
  return 86400;
}

const DAY_NAMES: Record<string, number> = {
  SUN: 1,
  MON: 2,
  TUE: 3,
  WED: 4,
  THU: 5,
  FRI: 6,
  SAT: 7,
};

/** Smallest step of a cron field within a cycle of `size` units; `size` when it fires once. */
function fieldGap(field: string, size: number): number {
  if (field === '*' || field.includes('-')) return 1;
  const step = /\/(\d+)$/.exec(field);
  if (step) return Math.max(1, Number(step[1]));
  if (!field.includes(',')) return size; // one value (incl. L, W, 3#2): once per cycle
  const values = field.split(',').map((v) => DAY_NAMES[v.toUpperCase()] ?? Number(v));
  if (values.some((v) => !Number.isInteger(v))) return 1; // L/W/# in a list: assume the shortest
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  let gap = size - (sorted[sorted.length - 1] ?? 0) + (sorted[0] ?? 0);
  for (let i = 1; i < sorted.length; i++)
    gap = Math.min(gap, (sorted[i] ?? 0) - (sorted[i - 1] ?? 0));
  return Math.max(1, gap);
}

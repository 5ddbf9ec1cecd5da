/**
 * A readable builder for Prometheus test data: a time window, series with timelines, and the
 * OpenMetrics text that `promtool tsdb create-blocks-from openmetrics` backfills.
 *
 *   scenario({ start: '2026-11-21T06:00:00Z', end: '2026-11-21T12:00:00Z', step: '1m' })
 *     .series('kube_deployment_metadata_generation', { namespace: 'shop', deployment: 'web' },
 *       steps([[0, 6], ['3h', 7]]))
 *     .series('up', { job: 'kube-state-metrics' }, constant(1).absentAfter('5h'))
 *     .toOpenMetrics();
 */

/**
 * Seconds, or a Prometheus-style duration such as '90s', '10m', '3h20m', '1d'; offsets count
 * from the scenario start.
 */
export type Offset = number | string;

/** A point in time: epoch milliseconds, a Date, or an ISO-8601 string. */
export type Instant = number | Date | string;

/** Label names to values of one series (without `__name__`). */
export type Labels = Readonly<Record<string, string>>;

/** OpenMetrics family types the builder emits. */
export type MetricType = 'gauge' | 'counter' | 'info';

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** An offset in seconds; throws on a malformed duration string. */
export function seconds(offset: Offset): number {
  if (typeof offset === 'number') return offset;
  const match = DURATION.exec(offset);
  if (!match || offset === '') {
    throw new Error(
      `offset "${offset}" is not a duration; use seconds or e.g. '90s', '3h20m', '1d'`,
    );
  }
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return Number(d) * 86400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** A value over time; `at(t)` takes seconds since the scenario start, undefined means no sample. */
export class Timeline {
  constructor(private readonly valueAt: (t: number) => number | undefined) {}

  /** The value at `t` seconds after the start, or undefined when the series has no sample. */
  at(t: number): number | undefined {
    return this.valueAt(t);
  }

  /** The same timeline without samples before `offset` (the series appears then). */
  from(offset: Offset): Timeline {
    const since = seconds(offset);
    return new Timeline((t) => (t >= since ? this.valueAt(t) : undefined));
  }

  /**
   * The same timeline without samples after `offset`. Backfilled data has no staleness
   * markers, so Prometheus still returns the last sample for its lookback delta (5m default).
   */
  absentAfter(offset: Offset): Timeline {
    const until = seconds(offset);
    return new Timeline((t) => (t <= until ? this.valueAt(t) : undefined));
  }
}

/** The same value at every step. */
export function constant(value: number): Timeline {
  return new Timeline(() => value);
}

/**
 * A step function: each value holds from its offset until the next one; `null` makes a gap.
 * No samples before the first offset.
 */
export function steps(changes: ReadonlyArray<readonly [Offset, number | null]>): Timeline {
  const points = changes.map(([offset, value]) => ({ at: seconds(offset), value }));
  points.forEach((point, i) => {
    const previous = points[i - 1];
    if (previous && point.at <= previous.at) {
      throw new Error(`steps(): offsets must increase, but ${point.at}s follows ${previous.at}s`);
    }
  });
  return new Timeline((t) => {
    let current: number | null | undefined;
    for (const point of points) {
      if (point.at > t) break;
      current = point.value;
    }
    return current ?? undefined;
  });
}

/** A counter growing by `ratePerSecond` from `initial`, as `rate()` should see it. */
export function counter(ratePerSecond: number, initial = 0): Timeline {
  if (ratePerSecond < 0 || initial < 0) {
    throw new Error('counter(): counters never decrease; use steps() to model a reset');
  }
  return new Timeline((t) => initial + ratePerSecond * t);
}

/** What a series yields over time: a constant, a timeline, or a function of seconds since start. */
export type SeriesValue = number | Timeline | ((t: number) => number | undefined);

/** The sampled window: first and last sample time and the step between samples. */
export interface ScenarioWindow {
  readonly start: Instant;
  readonly end: Instant;
  /** Distance between samples; whole seconds. */
  readonly step: Offset;
}

interface Series {
  readonly name: string;
  readonly labels: Labels;
  readonly timeline: Timeline;
}

interface Family {
  readonly name: string;
  readonly type: MetricType;
  readonly series: Series[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// A bound against a typo such as step '1s' over a week turning into a gigabyte of text.
const MAX_SAMPLES_PER_SERIES = 100_000;
// OpenMetrics sample names carry a type suffix that the family name (the `# TYPE` line) omits.
const TYPE_SUFFIX: Readonly<Record<MetricType, string>> = {
  gauge: '',
  counter: '_total',
  info: '_info',
};

/** Series and their timelines over one sampled window, rendered as OpenMetrics text. */
export class Scenario {
  /** Epoch ms of the first sample. */
  readonly startMs: number;
  /** Epoch ms of the last sample (the last whole step at or before `end`). */
  readonly endMs: number;
  /** Milliseconds between samples. */
  readonly stepMs: number;
  private readonly families = new Map<string, Family>();
  private readonly seriesKeys = new Set<string>();

  constructor(window: ScenarioWindow) {
    const start = toEpochMs(window.start, 'start');
    const end = toEpochMs(window.end, 'end');
    const stepSeconds = seconds(window.step);
    // promtool turns float seconds into ms by truncation; whole seconds keep timestamps exact.
    if (start % 1000 !== 0 || end % 1000 !== 0) {
      throw new Error('scenario(): start and end must be whole seconds (promtool truncates ms)');
    }
    if (!Number.isInteger(stepSeconds) || stepSeconds < 1) {
      throw new Error(
        `scenario(): step must be a whole number of seconds >= 1, got ${window.step}`,
      );
    }
    if (end < start) throw new Error('scenario(): end is before start');
    this.stepMs = stepSeconds * 1000;
    const count = Math.floor((end - start) / this.stepMs) + 1;
    if (count > MAX_SAMPLES_PER_SERIES) {
      throw new Error(
        `scenario(): ${count} samples per series exceeds ${MAX_SAMPLES_PER_SERIES}; use a larger step`,
      );
    }
    this.startMs = start;
    this.endMs = start + (count - 1) * this.stepMs;
  }

  /** Epoch ms of `offset` after the start. */
  at(offset: Offset): number {
    return this.startMs + seconds(offset) * 1000;
  }

  /**
   * Adds a series. The type defaults to counter for names ending in `_total`, else gauge;
   * counters must end in `_total` and infos in `_info` (OpenMetrics sample naming).
   */
  series(
    name: string,
    labels: Labels,
    value: SeriesValue,
    options: { readonly type?: MetricType } = {},
  ): this {
    const type = options.type ?? (name.endsWith('_total') ? 'counter' : 'gauge');
    const familyName = familyNameOf(name, type);
    validateLabels(name, labels);
    const key = seriesKey(name, labels);
    if (this.seriesKeys.has(key)) throw new Error(`series ${key} is defined twice`);
    const family = this.families.get(familyName) ?? { name: familyName, type, series: [] };
    if (family.type !== type) {
      throw new Error(
        `metric family ${familyName} is already a ${family.type}; ${name} cannot be a ${type}`,
      );
    }
    family.series.push({ name, labels, timeline: toTimeline(value) });
    this.families.set(familyName, family);
    this.seriesKeys.add(key);
    return this;
  }

  /** The scenario as OpenMetrics text: one block per family, timestamps in seconds, `# EOF`. */
  toOpenMetrics(): string {
    const lines: string[] = [];
    for (const family of this.families.values()) {
      lines.push(`# TYPE ${family.name} ${family.type}`);
      for (const series of family.series) {
        const prefix = series.name + formatLabels(series.labels);
        for (let ms = this.startMs; ms <= this.endMs; ms += this.stepMs) {
          const value = series.timeline.at((ms - this.startMs) / 1000);
          if (value !== undefined) lines.push(`${prefix} ${formatValue(value)} ${ms / 1000}`);
        }
      }
    }
    lines.push('# EOF');
    return lines.join('\n') + '\n';
  }
}

/** Starts a scenario over a window; add series with `.series(...)`. */
export function scenario(window: ScenarioWindow): Scenario {
  return new Scenario(window);
}

function toEpochMs(instant: Instant, what: string): number {
  const ms =
    instant instanceof Date
      ? instant.getTime()
      : typeof instant === 'string'
        ? Date.parse(instant)
        : instant;
  if (!Number.isFinite(ms)) {
    throw new Error(
      `scenario(): ${what} "${String(instant)}" is not a time; use epoch ms or ISO-8601`,
    );
  }
  return ms;
}

function toTimeline(value: SeriesValue): Timeline {
  if (value instanceof Timeline) return value;
  if (typeof value === 'number') return constant(value);
  return new Timeline(value);
}

function familyNameOf(name: string, type: MetricType): string {
  if (!METRIC_NAME.test(name)) throw new Error(`"${name}" is not a valid metric name`);
  const suffix = TYPE_SUFFIX[type];
  if (!name.endsWith(suffix) || name === suffix) {
    throw new Error(
      `${type} ${name} must be named <family>${suffix} in OpenMetrics; rename it or make it a gauge`,
    );
  }
  return name.slice(0, name.length - suffix.length);
}

function validateLabels(name: string, labels: Labels): void {
  for (const label of Object.keys(labels)) {
    if (!LABEL_NAME.test(label) || label.startsWith('__')) {
      throw new Error(`${name}: "${label}" is not a valid label name (and __ names are reserved)`);
    }
  }
}

function seriesKey(name: string, labels: Labels): string {
  const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  return name + formatLabels(sorted);
}

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** Escapes a label value as OpenMetrics requires: backslash, double quote, line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

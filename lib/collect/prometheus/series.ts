/** Reading kube-state-metrics series per object: grouping by object, one object's numbers and one-hot labels, label names and times. */
import type { PartStatus } from '../../rules/model';
import type { Sample } from './types';

export const COLLECTED: PartStatus = { state: 'collected' };
/** A Kubernetes label name as kube-state-metrics turns it into a Prometheus label suffix. */
export function sanitize(label: string): string {
  return label.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Samples grouped by `namespace/name` of the object in `label`. */
export function groupByObject(samples: readonly Sample[], label: string): Map<string, Sample[]> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const name = s.metric[label];
    const namespace = s.metric['namespace'];
    if (!name || !namespace) continue;
    const key = `${namespace}/${name}`;
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

/** Reads one object's series: numbers by metric name, and labels of the one-hot series set to 1. */
export class ObjectSeries {
  constructor(
    private readonly prefix: string,
    private readonly samples: readonly Sample[],
  ) {}

  private of(suffix: string): Sample[] {
    const name = this.prefix ? `${this.prefix}_${suffix}` : suffix;
    return this.samples.filter((s) => s.metric['__name__'] === name);
  }

  has(suffix: string): boolean {
    return this.of(suffix).length > 0;
  }

  /** The value (the largest, when replicas of the exporter both report it). */
  num(suffix: string): number | undefined {
    const values = this.of(suffix)
      .map((s) => s.value)
      .filter(Number.isFinite);
    return values.length > 0 ? Math.max(...values) : undefined;
  }

  /** Label sets of the series of a one-hot family that are 1 (the current state). */
  active(suffix: string): Readonly<Record<string, string>>[] {
    return this.of(suffix)
      .filter((s) => s.value === 1)
      .map((s) => s.metric);
  }

  label(suffix: string, label: string): string | undefined {
    return this.active(suffix)
      .map((m) => m[label])
      .find((v) => v !== undefined && v !== '');
  }

  /** An epoch-seconds gauge as ISO time. */
  time(suffix: string): string | undefined {
    const v = this.num(suffix);
    return v !== undefined && v > 0 ? iso(v * 1000) : undefined;
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Safe readers for raw Kubernetes JSON (kubectl output, API responses). Raw objects are
 * untrusted input: every field is checked, nothing is assumed present.
 */

/** A raw object as JSON.parse or YAML gives it. */
export type Raw = Readonly<Record<string, unknown>>;

/** True for a plain (non-array) object. */
export function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of keys, or undefined. */
export function at(obj: unknown, ...path: string[]): unknown {
  let current: unknown = obj;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A string at a path, or undefined. */
export function str(obj: unknown, ...path: string[]): string | undefined {
  const v = at(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

/** A finite number at a path, or undefined (numeric strings are not numbers here). */
export function num(obj: unknown, ...path: string[]): number | undefined {
  const v = at(obj, ...path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A boolean at a path, or undefined. */
export function bool(obj: unknown, ...path: string[]): boolean | undefined {
  const v = at(obj, ...path);
  return typeof v === 'boolean' ? v : undefined;
}

/** An array at a path, or an empty array. */
export function arr(obj: unknown, ...path: string[]): readonly unknown[] {
  const v = at(obj, ...path);
  return Array.isArray(v) ? v : [];
}

/** A string map (labels, annotations, matchLabels) at a path; non-string values are dropped. */
export function strMap(obj: unknown, ...path: string[]): Record<string, string> {
  const v = at(obj, ...path);
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** `namespace/name` of a raw object, for messages. */
export function objectRef(obj: unknown): string {
  const ns = str(obj, 'metadata', 'namespace');
  const name = str(obj, 'metadata', 'name') ?? '<unnamed>';
  return ns ? `${ns}/${name}` : name;
}

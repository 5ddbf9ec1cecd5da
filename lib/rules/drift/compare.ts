/**
 * The comparison behind ConfigDrift: a live value against the fields a manifest sets, ignoring
 * what the manifest leaves out (API defaults, fields controllers add), values redacted where they
 * could be secrets.
 */
import type { JsonValue } from '../model';

/** One field whose live value is not what the manifest says. */
export interface FieldDifference {
  /** E.g. `spec.template.spec.containers[app].image`. */
  readonly path: string;
  /** JSON of the manifest's value, cut to a readable length, or `differs` when redacted. */
  readonly manifest: string;
  /** JSON of the live value, `(not set)`, or `differs` when redacted. */
  readonly live: string;
}

/** Shown instead of a value that may be a secret. */
export const REDACTED = 'differs';

/** Shown for a field the manifest sets and the live object lacks. */
export const NOT_SET = '(not set)';

const MAX_VALUE = 120;

// Keys that identify an element of a list Kubernetes merges by key (strategic merge patch), so
// reordering the list is not drift and an element is named by its key.
const LIST_KEYS = ['name', 'mountPath', 'containerPort', 'devicePath', 'ip', 'key', 'topologyKey'];

// Env variables whose names say they hold credentials: their plain values are not printed either.
const SECRET_NAME = /pass(word)?|secret|token|credential|api[-_]?key|private[-_]?key/i;

/** The fields of `desired` whose value in `live` differs, in manifest order. */
export function differences(
  desired: JsonValue,
  live: JsonValue | undefined,
  path: string,
): FieldDifference[] {
  const out: FieldDifference[] = [];
  walk(desired, live, path, false, out);
  return out;
}

function walk(
  desired: JsonValue,
  live: JsonValue | undefined,
  path: string,
  redact: boolean,
  out: FieldDifference[],
): void {
  // A null in a manifest asks for nothing (kustomize and helm write `creationTimestamp: null`).
  if (desired === null) return;
  if (Array.isArray(desired)) {
    walkList(desired as readonly JsonValue[], live, path, redact, out);
    return;
  }
  if (isObject(desired)) {
    if (!isObject(live)) {
      // An empty object in a manifest (`resources: {}`, `securityContext: {}`) sets nothing.
      if (Object.keys(desired).length > 0) out.push(diff(path, desired, live, redact));
      return;
    }
    for (const [key, value] of Object.entries(desired))
      walk(value, live[key], `${path}.${key}`, redact, out);
    return;
  }
  if (!sameScalar(desired, live, path)) out.push(diff(path, desired, live, redact));
}

function walkList(
  desired: readonly JsonValue[],
  live: JsonValue | undefined,
  path: string,
  redact: boolean,
  out: FieldDifference[],
): void {
  const liveList = Array.isArray(live) ? (live as readonly JsonValue[]) : [];
  const key = listKey(desired);
  if (key === undefined) {
    // Positional lists (args, command, tolerations): the whole list is the value.
    if (!sameJson(desired, liveList)) out.push(diff(path, desired, live ?? undefined, redact));
    return;
  }
  const isEnv = path.endsWith('.env');
  for (const element of desired) {
    if (!isObject(element)) continue;
    const id = element[key];
    const twin = liveList.find((l) => isObject(l) && sameScalar(l[key] ?? null, id ?? null, ''));
    const secret = redact || (isEnv && (secretEnv(element) || (isObject(twin) && secretEnv(twin))));
    const at = `${path}[${String(id)}]`;
    if (twin === undefined) out.push(diff(at, element, undefined, secret));
    else walk(element, twin, at, secret, out);
  }
}

/** The key a list's elements are merged by, when every element has it. */
function listKey(list: readonly JsonValue[]): string | undefined {
  if (list.length === 0 || !list.every(isObject)) return undefined;
  return LIST_KEYS.find((k) =>
    list.every((e) => isObject(e) && (typeof e[k] === 'string' || typeof e[k] === 'number')),
  );
}

/** An env variable read from a Secret, or one whose name says it holds a credential. */
function secretEnv(env: { readonly [key: string]: JsonValue }): boolean {
  const from = env['valueFrom'];
  return (
    (isObject(from) && from['secretKeyRef'] !== undefined) ||
    (typeof env['name'] === 'string' && SECRET_NAME.test(env['name']))
  );
}

function diff(
  path: string,
  desired: JsonValue,
  live: JsonValue | undefined,
  redact: boolean,
): FieldDifference {
  return {
    path,
    manifest: redact ? REDACTED : shown(desired),
    live: live === undefined || live === null ? NOT_SET : redact ? REDACTED : shown(live),
  };
}

function shown(value: JsonValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * Scalars equal as the API would store them: `8080` and `"8080"` alike, and resource quantities
 * by value, since the API server rewrites `0.5` as `500m` and `1000m` as `1`.
 */
function sameScalar(desired: JsonValue, live: JsonValue | undefined, path: string): boolean {
  if (live === undefined || live === null) return false;
  if (typeof live === 'object') return false;
  if (String(desired) === String(live)) return true;
  if (!/\.resources\.(limits|requests)\./.test(path)) return false;
  const a = quantity(String(desired));
  const b = quantity(String(live));
  return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-9;
}

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/** A Kubernetes quantity (`500m`, `1Gi`, `2`) as a number, or undefined. */
function quantity(text: string): number | undefined {
  const match = /^([0-9.]+(?:e[0-9]+)?)([a-zA-Z]*)$/.exec(text.trim());
  if (!match) return undefined;
  const factor = SUFFIX[match[2] ?? ''];
  const value = Number(match[1]);
  return factor === undefined || !Number.isFinite(value) ? undefined : value * factor;
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isObject(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The cluster selector of the Prometheus collector: parsing `label="value"` matchers, naming the
 * cluster from them, and building vector selectors that always carry them.
 */
import { SourceError } from '../errors';

/** One label matcher of a selector, e.g. `cluster="prod"`. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

const MATCHER =
  /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)\s*(,|$)/;

/**
 * Parses a label selector such as `cluster="prod"` or `{cluster="prod",env=~"eu-.*"}` (the value
 * of `--prometheus-selector`); throws a config SourceError naming the bad part and the fix.
 */
export function parseSelector(text: string): LabelMatcher[] {
  let rest = text.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1).trim();
  const matchers: LabelMatcher[] = [];
  while (rest.length > 0) {
    const match = MATCHER.exec(rest);
    if (!match) {
      throw new SourceError(
        'prometheus',
        'config',
        `the Prometheus selector ${JSON.stringify(text)} cannot be parsed at ${JSON.stringify(rest.slice(0, 40))}; ` +
          'write label matchers separated by commas, e.g. cluster="prod" or cluster="prod",region=~"eu-.*"',
      );
    }
    const [whole, name = '', op = '=', quoted = '""'] = match;
    if (name === '__name__') {
      throw new SourceError(
        'prometheus',
        'config',
        'the Prometheus selector may not match __name__: skewguard chooses the metrics itself; select the cluster by its labels, e.g. cluster="prod"',
      );
    }
    matchers.push({ name, op: op as LabelMatcher['op'], value: unquote(quoted) });
    rest = rest.slice(whole.length).trim();
  }
  return matchers;
}

function unquote(quoted: string): string {
  const body = quoted.slice(1, -1);
  if (quoted.startsWith('`')) return body;
  return body.replace(/\\(.)/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c,
  );
}

/**
 * Labels that name the cluster a series came from: the kubernetes-mixin and Thanos/Mimir
 * convention, and the OpenTelemetry `k8s.cluster.name` resource attribute as Prometheus spells it.
 */
export const CLUSTER_LABELS: readonly string[] = ['cluster', 'cluster_name', 'k8s_cluster_name'];

/**
 * The cluster a selector picks by name (`cluster="prod"` and the like), to name the cluster
 * after it when no --cluster is given; undefined when it picks none by equality.
 */
export function clusterNameOfSelector(text: string): string | undefined {
  return parseSelector(text).find((m) => m.op === '=' && CLUSTER_LABELS.includes(m.name) && m.value)
    ?.value;
}

/** A matcher as PromQL text, its value always double-quoted and escaped. */
export function formatMatcher(matcher: LabelMatcher): string {
  return `${matcher.name}${matcher.op}${quote(matcher.value)}`;
}

/** A PromQL double-quoted string literal. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** Builds vector selectors that always carry the cluster selector. */
export class SelectorInjector {
  private readonly selector: readonly string[];

  constructor(selector: readonly LabelMatcher[]) {
    this.selector = selector.map(formatMatcher);
  }

  /** `metric{<selector>,<extra>}`; the only way queries name a series. */
  v(metric: string, ...extra: readonly string[]): string {
    return `${metric}{${[...this.selector, ...extra].join(', ')}}`;
  }

  /** `{__name__=~"<pattern>",<selector>,<extra>}`: several metrics in one selector, names kept. */
  names(pattern: string, ...extra: readonly string[]): string {
    return this.v('', `__name__=~${quote(pattern)}`, ...extra);
  }
}

/**
 * Values per `label=~"a|b|…"` matcher. Above it the matcher is left out: the query then reads the
 * whole family (slower, same answer: results are filtered by key anyway) and the request stays
 * far below the size limits of proxies and managed services.
 */
export const MAX_SET_VALUES = 1000;

/** `label=~"v1|v2|…"` matching exactly these values (escaped), or nothing when too many or none. */
export function setMatcher(label: string, values: Iterable<string>): string[] {
  const unique = [...new Set(values)].sort();
  if (unique.length === 0 || unique.length > MAX_SET_VALUES) return [];
  return [`${label}=~${quote(unique.map(escapeRegex).join('|'))}`];
}

/** A literal as an RE2 pattern. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Label and field selectors: the subset of k8s.io/apimachinery's syntax the collector (and
 * kubectl) can send, answered with the real server's 400 messages when it does not parse.
 */
import type { ResourceType } from './resources';
import { isRecord } from './resources';
import { BadRequestError } from './status';

/** What a selector looks at: the object's labels, and its fields as a list item has them. */
interface Selectable {
  readonly labels: Readonly<Record<string, string>>;
  readonly item: Readonly<Record<string, unknown>>;
}

type Matcher = (object: Selectable) => boolean;

const LABEL_KEY =
  /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas outside parentheses: `a in (x,y),b=c` → [`a in (x,y)`, `b=c`]. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current.trim());
  return parts.filter((p) => p !== '');
}

function checkLabel(key: string, values: readonly string[]): void {
  if (!LABEL_KEY.test(key)) throw new BadRequestError(`invalid label key "${key}"`);
  for (const v of values) {
    if (!LABEL_VALUE.test(v) || v.length > 63)
      throw new BadRequestError(`invalid label value "${v}"`);
  }
}

/** Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`; throws BadRequestError on bad syntax. */
export function parseLabelSelector(selector: string): Matcher {
  const requirements = splitRequirements(selector).map((req): Matcher => {
    const set = /^(\S+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(req);
    if (set) {
      const [, key, op, list] = set as unknown as [string, string, string, string];
      const values = list.split(',').map((v) => v.trim());
      checkLabel(key, values);
      return op === 'in'
        ? (o) => key in o.labels && values.includes(o.labels[key]!)
        : (o) => !(key in o.labels) || !values.includes(o.labels[key]!);
    }
    const cmp = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(\S*)$/.exec(req);
    if (cmp) {
      const [, key, op, value] = cmp as unknown as [string, string, string, string];
      if (op === '<' || op === '>') {
        if (!/^-?\d+$/.test(value))
          throw new BadRequestError(`for 'Gt', 'Lt' operators, the value must be an integer`);
        checkLabel(key, []);
        const bound = Number(value);
        return (o) => {
          const v = o.labels[key];
          return (
            v !== undefined &&
            /^-?\d+$/.test(v) &&
            (op === '<' ? Number(v) < bound : Number(v) > bound)
          );
        };
      }
      checkLabel(key, [value]);
      return op === '!=' ? (o) => o.labels[key] !== value : (o) => o.labels[key] === value;
    }
    const exists = /^(!?)\s*([^\s=!()]+)$/.exec(req);
    if (exists) {
      const [, not, key] = exists as unknown as [string, string, string];
      checkLabel(key, []);
      return not ? (o) => !(key in o.labels) : (o) => key in o.labels;
    }
    throw new BadRequestError(`couldn't parse the selector string "${selector}"`);
  });
  return (o) => requirements.every((r) => r(o));
}

function fieldValue(object: Readonly<Record<string, unknown>>, path: string): string {
  let at: unknown = object;
  for (const part of path.split('.')) at = isRecord(at) ? at[part] : undefined;
  // The real registries render booleans and numbers as text and absent fields as "".
  if (typeof at === 'string') return at;
  if (typeof at === 'number') return String(at);
  if (typeof at === 'boolean') return String(at);
  return path === 'spec.unschedulable' || path === 'spec.hostNetwork' ? 'false' : '';
}

/** Parses `spec.nodeName=x,metadata.namespace!=y` for the fields the resource supports. */
export function parseFieldSelector(selector: string, type: ResourceType): Matcher {
  const supported = new Set([
    'metadata.name',
    ...(type.namespaced ? ['metadata.namespace'] : []),
    ...type.fields,
  ]);
  const requirements = splitRequirements(selector).map((req): Matcher => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (!m) throw new BadRequestError(`invalid selector: '${selector}'; can't understand '${req}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    if (!supported.has(field)) throw new BadRequestError(`field label not supported: ${field}`);
    return op === '!='
      ? (o) => fieldValue(o.item, field) !== value
      : (o) => fieldValue(o.item, field) === value;
  });
  return (o) => requirements.every((r) => r(o));
}

/**
 * A small, faithful HTTPS test double of the Kubernetes API server for the live collector's
 * tests: discovery, /version, get and list of Node, Namespace, Pod, Deployment, StatefulSet,
 * DaemonSet and ReplicaSet with label/field selectors and real `limit`/`continue` pagination,
 * bearer-token auth, RBAC denials and injectable faults. Binds 127.0.0.1 only. Read-only: any
 * method but GET is 405, and watches are refused.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testTls } from './tls';

// ---------------------------------------------------------------------------------------------
// Public types

/** Options for {@link startKubeApiServer}. */
export interface KubeApiServerOptions {
  /** kubectl JSON objects (or `*List` objects holding them) to serve. Default none. */
  readonly objects?: readonly unknown[];
  /** `/version` body, a `kubectl version -o json` output, or just the gitVersion. Default v1.30.4. */
  readonly version?: string | Readonly<Record<string, unknown>>;
  /** The only bearer token accepted. Default a random one. */
  readonly token?: string;
  /** The authenticated user named in 403 messages. */
  readonly user?: string;
  /** Per-resource RBAC denials, answered with the API server's 403 Status. */
  readonly deny?: readonly (string | Denial)[];
  /**
   * Requests without a token: `unauthorized` = 401 everywhere (anonymous auth off, the default);
   * `forbidden` = served as system:anonymous (only /version and health paths, else 403), as EKS does.
   */
  readonly anonymous?: 'unauthorized' | 'forbidden';
}

/** An RBAC denial: `resource` (plural, e.g. 'nodes') cannot be read with `verb` at `scope`. */
export interface Denial {
  readonly resource: string;
  /** Default: both get and list. */
  readonly verb?: 'get' | 'list';
  /** 'cluster' (cluster-wide lists, cluster-scoped objects) or a namespace. Default: everywhere. */
  readonly scope?: string;
}

/** Status codes a fault can answer with; each gets the body the real API server sends. */
export type FaultStatusCode = 401 | 403 | 404 | 410 | 429 | 500 | 503 | 504;

/** What an injected fault does to a matching request. */
export type Fault =
  | { readonly type: 'status'; readonly code: FaultStatusCode; readonly retryAfterSeconds?: number }
  /** Wait `ms`, then answer normally (a slow API server; `stop()` cuts the wait). */
  | { readonly type: 'delay'; readonly ms: number }
  /** Half the real body, then a clean end (invalid JSON); `abort` cuts the connection instead. */
  | { readonly type: 'truncate'; readonly abort?: boolean }
  /** A TCP RST before any response. */
  | { readonly type: 'reset' };

/** Which requests a fault applies to, and how often. */
export interface FaultRule {
  /** Exact URL path (no query) or a pattern tested against it. Default: every path. */
  readonly path?: string | RegExp;
  /** Apply to this many matching requests, then stop. Default: every one. */
  readonly times?: number;
  /** Only the Nth page of a list (1 = the request without `continue`). */
  readonly page?: number;
  readonly fault: Fault;
}

/** One request as the server saw it, for assertions. `status` is 0 when the socket was cut. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Whether an Authorization header was sent (its value is never recorded). */
  readonly authorization: boolean;
  readonly accept: string | undefined;
  readonly userAgent: string | undefined;
  /** Fault applied, e.g. 'status:429', 'delay', 'truncate', 'reset'. */
  readonly fault: string | undefined;
  readonly startedAt: number;
  readonly durationMs: number | undefined;
  readonly status: number | undefined;
}

/** A running test API server. */
export interface KubeApiServer {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** PEM of the CA that signed the server certificate. */
  readonly caPem: string;
  readonly token: string;
  /** Every request so far, in arrival order (live view). */
  readonly requests: readonly RecordedRequest[];
  /** Adds a fault rule; rules are tried in the order added, the first with uses left applies. */
  setFault(rule: FaultRule): void;
  clearFaults(): void;
  clearRequests(): void;
  /** Replaces the objects at a new resourceVersion; open pagination stays consistent. */
  setObjects(objects: readonly unknown[]): void;
  /** Forgets older resourceVersions, so their continue tokens get 410 Expired. */
  compact(): void;
  /** Kubeconfig YAML (JSON form) for this server: CA data and a token user. */
  kubeconfig(options?: { readonly token?: string }): string;
  /** Writes {@link kubeconfig} to `dir/kubeconfig` and returns that path. */
  writeKubeconfig(dir: string, options?: { readonly token?: string }): Promise<string>;
  /** Closes the server and every socket; safe to call twice. */
  stop(): Promise<void>;
}

/** The user named in 403 messages unless the options say otherwise. */
export const DEFAULT_TEST_USER = 'system:serviceaccount:skewguard:reader';

/** The context, cluster and user name in written kubeconfigs. */
export const TEST_CONTEXT = 'skewguard-test';

// ---------------------------------------------------------------------------------------------
// Resources and fixtures

interface ResourceType {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly group: '' | 'apps';
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  /** Field selectors beyond metadata.name/metadata.namespace, as the real registry allows. */
  readonly fields: readonly string[];
}

// As the pod registry's field-selector conversion allows (k8s.io/kubernetes pkg/apis/core/v1).
const POD_FIELDS = [
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
];

const RESOURCE_TYPES: readonly ResourceType[] = [
  core('Node', 'nodes', false, ['no'], ['spec.unschedulable']),
  core('Namespace', 'namespaces', false, ['ns'], ['status.phase']),
  core('Pod', 'pods', true, ['po'], POD_FIELDS),
  apps('Deployment', 'deployments', ['deploy'], []),
  apps('StatefulSet', 'statefulsets', ['sts'], []),
  apps('DaemonSet', 'daemonsets', ['ds'], []),
  apps('ReplicaSet', 'replicasets', ['rs'], ['status.replicas']),
];

function core(
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[],
  fields: string[],
): ResourceType {
  const singular = kind.toLowerCase();
  return { kind, plural, singular, group: '', namespaced, shortNames, fields };
}

function apps(kind: string, plural: string, shortNames: string[], fields: string[]): ResourceType {
  const singular = kind.toLowerCase();
  return { kind, plural, singular, group: 'apps', namespaced: true, shortNames, fields };
}

const BY_KIND = new Map(RESOURCE_TYPES.map((r) => [r.kind, r]));
const groupVersionOf = (r: ResourceType): string => (r.group ? `${r.group}/v1` : 'v1');

interface StoredObject {
  readonly sortKey: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** As a GET returns it: with kind and apiVersion. */
  readonly object: Readonly<Record<string, unknown>>;
  /** As a list item: the real server leaves kind and apiVersion out. */
  readonly item: Readonly<Record<string, unknown>>;
}

/** Objects at one resourceVersion, per plural, sorted as etcd keys sort. */
interface Snapshot {
  readonly rv: number;
  readonly byResource: ReadonlyMap<string, readonly StoredObject[]>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flattens `*List` objects (as `kubectl get -o json` prints them) into their items. */
function flattenFixtures(objects: readonly unknown[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  objects.forEach((value, index) => {
    if (!isRecord(value)) {
      throw new Error(`fixture #${index} is not an object; pass kubectl JSON objects.`);
    }
    if (
      typeof value.kind === 'string' &&
      value.kind.endsWith('List') &&
      Array.isArray(value.items)
    ) {
      const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
      (value.items as unknown[]).forEach((item, itemIndex) => {
        if (!isRecord(item)) {
          throw new Error(
            `fixture #${index} (${String(value.kind)}) item #${itemIndex} is not an object.`,
          );
        }
        out.push(itemKind && !item.kind ? { kind: itemKind, ...item } : item);
      });
    } else {
      out.push(value);
    }
  });
  return out;
}

function buildSnapshot(objects: readonly unknown[], rv: number): Snapshot {
  const lists = new Map<string, StoredObject[]>(RESOURCE_TYPES.map((r) => [r.plural, []]));
  const seen = new Set<string>();
  flattenFixtures(objects).forEach((raw, index) => {
    const kind = typeof raw.kind === 'string' ? raw.kind : undefined;
    const type = kind ? BY_KIND.get(kind) : undefined;
    if (!type) {
      const known = RESOURCE_TYPES.map((r) => r.kind).join(', ');
      throw new Error(
        `fixture #${index} has kind ${String(kind)}; the test server serves ${known}.`,
      );
    }
    const metadata = isRecord(raw.metadata) ? raw.metadata : {};
    const name = metadata.name;
    if (typeof name !== 'string' || name === '') {
      throw new Error(
        `fixture #${index} (${type.kind}) has no metadata.name; give every object one.`,
      );
    }
    // The real server defaults a missing namespace to "default" on create.
    const namespace = type.namespaced
      ? typeof metadata.namespace === 'string' && metadata.namespace
        ? metadata.namespace
        : 'default'
      : undefined;
    const sortKey = namespace === undefined ? name : `${namespace}/${name}`;
    if (seen.has(`${type.plural}/${sortKey}`)) {
      throw new Error(
        `fixture ${type.kind} ${sortKey} appears twice; object names must be unique.`,
      );
    }
    seen.add(`${type.plural}/${sortKey}`);
    const fullMetadata = namespace === undefined ? metadata : { ...metadata, namespace };
    const item: Record<string, unknown> = { ...raw, metadata: fullMetadata };
    delete item.kind;
    delete item.apiVersion;
    const labels = isRecord(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
    lists.get(type.plural)!.push({
      sortKey,
      name,
      namespace,
      labels,
      object: { kind: type.kind, apiVersion: groupVersionOf(type), ...item },
      item,
    });
  });
  for (const list of lists.values()) {
    list.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  }
  return { rv, byResource: lists };
}

function versionInfo(version: KubeApiServerOptions['version']): Record<string, unknown> {
  if (isRecord(version)) {
    // `kubectl version -o json` output carries the server's block under serverVersion.
    return isRecord(version.serverVersion) ? version.serverVersion : { ...version };
  }
  const gitVersion = version ?? 'v1.30.4';
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '',
    minor: m?.[2] ?? '',
    gitVersion,
    gitCommit: 'a51b3b711150f57ffc1f526a640ec058514ed596',
    gitTreeState: 'clean',
    buildDate: '2024-08-14T19:04:52Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

// ---------------------------------------------------------------------------------------------
// Selectors (the subset of k8s.io/apimachinery labels and fields the collector can use)

type Matcher = (object: StoredObject) => boolean;

class BadRequestError extends Error {}

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
function parseLabelSelector(selector: string): Matcher {
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
function parseFieldSelector(selector: string, type: ResourceType): Matcher {
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

// ---------------------------------------------------------------------------------------------
// Continue tokens: base64url JSON, opaque to clients, like the real server's

interface ContinueToken {
  /** Snapshot resourceVersion, or -1 for "the latest" (the token a 410 hands out). */
  readonly rv: number;
  /** Index of the next item in the filtered list. */
  readonly offset: number;
  /** 1-based page number this token fetches, so faults can target "page N". */
  readonly page: number;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...token })).toString('base64url');
}

function decodeContinue(raw: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('continue key is not valid: illegal base64 data or JSON');
  }
  if (
    !isRecord(parsed) ||
    parsed.v !== 'meta.k8s.io/v1' ||
    !Number.isInteger(parsed.rv) ||
    !Number.isInteger(parsed.offset) ||
    !Number.isInteger(parsed.page) ||
    (parsed.offset as number) < 0
  ) {
    throw new BadRequestError(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  return { rv: parsed.rv as number, offset: parsed.offset as number, page: parsed.page as number };
}

// ---------------------------------------------------------------------------------------------
// Status bodies, word for word as the API server sends them

interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly code: number;
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** The real server's message when a continue token outlived etcd compaction. */
const EXPIRED_WITH_TOKEN =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';
const EXPIRED_NO_TOKEN =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/** A parsed request target: a resource get/list, or a non-resource path. */
type Route =
  | {
      readonly type: 'list';
      readonly resource: ResourceType;
      readonly namespace: string | undefined;
    }
  | {
      readonly type: 'get';
      readonly resource: ResourceType;
      readonly namespace: string | undefined;
      readonly name: string;
    }
  | { readonly type: 'document'; readonly body: unknown }
  | { readonly type: 'health' }
  | { readonly type: 'unknownResource' }
  | { readonly type: 'pageNotFound' };

/** `deployments.apps`, `pods`: how the API server names a resource in messages. */
function qualified(resource: ResourceType): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

function resourceDetails(resource: ResourceType, name?: string): Record<string, unknown> {
  return {
    ...(name !== undefined ? { name } : {}),
    ...(resource.group ? { group: resource.group } : {}),
    kind: resource.plural,
  };
}

function forbidden(route: Route, path: string, user: string): Status {
  if (route.type !== 'list' && route.type !== 'get') {
    return failure(403, 'Forbidden', `forbidden: User "${user}" cannot get path "${path}"`, {});
  }
  const { resource, namespace } = route;
  const subject =
    route.type === 'get' ? `${qualified(resource)} "${route.name}"` : qualified(resource);
  const where =
    namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${route.type} resource "${resource.plural}" in API group "${resource.group}" ${where}`,
    resourceDetails(resource, route.type === 'get' ? route.name : undefined),
  );
}

const UNAUTHORIZED = failure(401, 'Unauthorized', 'Unauthorized');
const RESOURCE_NOT_FOUND = failure(
  404,
  'NotFound',
  'the server could not find the requested resource',
  {},
);

// ---------------------------------------------------------------------------------------------
// Discovery documents, so real kubectl can map kinds to paths

function apiResource(r: ResourceType): Record<string, unknown> {
  return {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    // Honest verbs: this server only reads.
    verbs: ['get', 'list'],
    shortNames: r.shortNames,
    ...(r.kind === 'Node' || r.kind === 'Namespace' ? {} : { categories: ['all'] }),
  };
}

function discoveryDocuments(hostPort: string): Map<string, unknown> {
  const appsGroup = {
    name: 'apps',
    versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
    preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
  };
  const resourceList = (group: string, groupVersion: string): Record<string, unknown> => ({
    kind: 'APIResourceList',
    ...(group ? { apiVersion: 'v1' } : {}),
    groupVersion,
    resources: RESOURCE_TYPES.filter((r) => r.group === group).map(apiResource),
  });
  return new Map<string, unknown>([
    [
      '/api',
      {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: hostPort }],
      },
    ],
    ['/apis', { kind: 'APIGroupList', apiVersion: 'v1', groups: [appsGroup] }],
    ['/apis/apps', { kind: 'APIGroup', apiVersion: 'v1', ...appsGroup }],
    ['/api/v1', resourceList('', 'v1')],
    ['/apis/apps/v1', resourceList('apps', 'apps/v1')],
  ]);
}

function routeOf(path: string, documents: ReadonlyMap<string, unknown>): Route {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const document = documents.get(trimmed);
  if (document !== undefined) return { type: 'document', body: document };
  if (['/healthz', '/livez', '/readyz'].includes(trimmed)) return { type: 'health' };
  const prefix = trimmed.startsWith('/api/v1/')
    ? ''
    : trimmed.startsWith('/apis/apps/v1/')
      ? 'apps'
      : undefined;
  if (prefix === undefined) {
    return trimmed.startsWith('/api') ? { type: 'unknownResource' } : { type: 'pageNotFound' };
  }
  const segments = trimmed
    .slice(prefix ? '/apis/apps/v1/'.length : '/api/v1/'.length)
    .split('/')
    .map((s) => decodeURIComponent(s));
  const find = (plural: string | undefined): ResourceType | undefined =>
    RESOURCE_TYPES.find((r) => r.group === prefix && r.plural === plural);
  const [first, second, third, fourth] = segments;
  if (segments.length <= 2) {
    const resource = find(first);
    if (!resource) return { type: 'unknownResource' };
    if (second === undefined) return { type: 'list', resource, namespace: undefined };
    if (resource.namespaced) return { type: 'unknownResource' };
    return { type: 'get', resource, namespace: undefined, name: second };
  }
  const resource = find(third);
  if (first !== 'namespaces' || !second || !resource?.namespaced || segments.length > 4) {
    return { type: 'unknownResource' };
  }
  return fourth === undefined
    ? { type: 'list', resource, namespace: second }
    : { type: 'get', resource, namespace: second, name: fourth };
}

// ---------------------------------------------------------------------------------------------
// Response writing

/** A response body as JSON text chunks, so large lists never become one giant string. */
type Body = Iterable<string>;

const CHUNK_CHARS = 64 * 1024;

function* jsonBody(value: unknown): Body {
  yield JSON.stringify(value);
}

function* listBody(
  kind: string,
  apiVersion: string,
  metadata: Record<string, unknown>,
  items: readonly StoredObject[],
): Body {
  let buffer = `{"kind":${JSON.stringify(kind)},"apiVersion":"${apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`;
  for (let i = 0; i < items.length; i++) {
    buffer += (i ? ',' : '') + JSON.stringify(items[i]!.item);
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}]}`;
}

interface Reply {
  readonly status: number;
  readonly body: Body;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const jsonReply = (status: number, value: unknown): Reply => ({ status, body: jsonBody(value) });

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function writeHead(
  res: ServerResponse,
  reply: Reply,
  extra: Record<string, string | number> = {},
): void {
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType ?? 'application/json',
    'Cache-Control': 'no-cache, private',
    'Audit-Id': randomUUID(),
    ...reply.headers,
    ...extra,
  });
}

async function sendReply(res: ServerResponse, reply: Reply): Promise<void> {
  writeHead(res, reply);
  for (const chunk of reply.body) {
    if (res.destroyed) return;
    // Respect backpressure so a 150,000-pod list streams instead of piling up in memory.
    if (!res.write(chunk)) await waitForDrain(res);
  }
  if (!res.destroyed) res.end();
}

function sendTruncated(res: ServerResponse, reply: Reply, abort: boolean): void {
  const full = Buffer.from([...reply.body].join(''));
  const half = full.subarray(0, Math.floor(full.length / 2));
  if (abort) {
    // Promise the whole length, deliver half, then drop the connection: a mid-body network cut.
    writeHead(res, reply, { 'Content-Length': full.length });
    res.write(half, () => res.socket?.destroy());
  } else {
    writeHead(res, reply);
    res.end(half);
  }
}

/** Sends a TCP RST, as a load balancer or crashed API server does. */
function resetConnection(socket: Socket): void {
  // TLS sockets cannot RST themselves; the TCP socket under them (`_parent`) can.
  const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
  try {
    tcp.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The server

interface MutableRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: boolean;
  accept: string | undefined;
  userAgent: string | undefined;
  fault: string | undefined;
  startedAt: number;
  durationMs: number | undefined;
  status: number | undefined;
}

interface ActiveFault {
  readonly rule: FaultRule;
  remaining: number;
}

const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);
const START_RV = 1000;

/** Starts the test API server on 127.0.0.1 with a random port. Call `stop()` when done. */
export async function startKubeApiServer(
  options: KubeApiServerOptions = {},
): Promise<KubeApiServer> {
  const tls = await testTls();
  const token = options.token ?? randomBytes(24).toString('base64url');
  const user = options.user ?? DEFAULT_TEST_USER;
  const anonymous = options.anonymous ?? 'unauthorized';
  const denials = (options.deny ?? []).map((d): Denial =>
    typeof d === 'string' ? { resource: d } : d,
  );
  const version = versionInfo(options.version);

  let current = buildSnapshot(options.objects ?? [], START_RV);
  const snapshots = new Map<number, Snapshot>([[current.rv, current]]);
  const filterCache = new Map<string, readonly StoredObject[]>();
  const faults: ActiveFault[] = [];
  const requests: MutableRecord[] = [];
  const sockets = new Set<Socket>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let documents = new Map<string, unknown>();
  let stopped: Promise<void> | undefined;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });
  }

  function takeFault(path: string, page: number | undefined): Fault | undefined {
    const active = faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.rule.path === undefined ||
          (typeof f.rule.path === 'string' ? f.rule.path === path : f.rule.path.test(path))) &&
        (f.rule.page === undefined || f.rule.page === page),
    );
    if (!active) return undefined;
    active.remaining--;
    return active.rule.fault;
  }

  function isDenied(route: Route): boolean {
    if (route.type !== 'list' && route.type !== 'get') return false;
    const scope = route.namespace ?? 'cluster';
    return denials.some(
      (d) =>
        d.resource === route.resource.plural &&
        (d.verb === undefined || d.verb === route.type) &&
        (d.scope === undefined || d.scope === scope),
    );
  }

  /** The body a fault status code gets: what the real API server sends for it. */
  function faultStatus(
    code: FaultStatusCode,
    route: Route,
    path: string,
    query: URLSearchParams,
    retryAfter: number,
  ): Reply {
    switch (code) {
      case 401:
        return jsonReply(401, UNAUTHORIZED);
      case 403:
        return jsonReply(403, forbidden(route, path, user));
      case 404:
        return jsonReply(404, RESOURCE_NOT_FOUND);
      case 410:
        return expired(query.get('continue'));
      case 429:
        return {
          ...jsonReply(
            429,
            failure(429, 'TooManyRequests', 'Too many requests, please try again later.', {
              retryAfterSeconds: retryAfter,
            }),
          ),
          headers: { 'Retry-After': String(retryAfter) },
        };
      case 500:
        return jsonReply(
          500,
          failure(500, 'InternalError', 'Internal error occurred: injected by the test server', {
            causes: [{ message: 'injected by the test server' }],
          }),
        );
      case 503:
        return jsonReply(
          503,
          failure(
            503,
            'ServiceUnavailable',
            'the server is currently unable to handle the request',
            {},
          ),
        );
      case 504:
        return jsonReply(
          504,
          failure(
            504,
            'Timeout',
            'Timeout: request did not complete within requested timeout - context deadline exceeded',
            {},
          ),
        );
    }
  }

  /** 410 Gone; like the real server, hands out a token to continue (inconsistently) at the latest rv. */
  function expired(rawContinue: string | null): Reply {
    let position: ContinueToken | undefined;
    try {
      position = rawContinue ? decodeContinue(rawContinue) : undefined;
    } catch {
      position = undefined;
    }
    if (!position) return jsonReply(410, failure(410, 'Expired', EXPIRED_NO_TOKEN));
    const retry = encodeContinue({ rv: -1, offset: position.offset, page: position.page });
    return jsonReply(
      410,
      failure(410, 'Expired', EXPIRED_WITH_TOKEN, undefined, { continue: retry }),
    );
  }

  function matching(
    snapshot: Snapshot,
    resource: ResourceType,
    namespace: string | undefined,
    labels: string,
    fields: string,
  ): readonly StoredObject[] {
    const all = snapshot.byResource.get(resource.plural) ?? [];
    if (namespace === undefined && !labels && !fields) return all;
    const key = JSON.stringify([snapshot.rv, resource.plural, namespace, labels, fields]);
    const cached = filterCache.get(key);
    if (cached) return cached;
    const byLabel = labels ? parseLabelSelector(labels) : () => true;
    const byField = fields ? parseFieldSelector(fields, resource) : () => true;
    const result = all.filter(
      (o) => (namespace === undefined || o.namespace === namespace) && byLabel(o) && byField(o),
    );
    // Pagination re-filters per page; a small cache keeps 150,000-pod walks linear.
    if (filterCache.size >= 32) filterCache.clear();
    filterCache.set(key, result);
    return result;
  }

  function list(route: Extract<Route, { type: 'list' }>, query: URLSearchParams): Reply {
    const { resource, namespace } = route;
    const rawContinue = query.get('continue');
    const token = rawContinue ? decodeContinue(rawContinue) : undefined;
    if (token && query.get('resourceVersion')) {
      return jsonReply(
        400,
        failure(
          400,
          'BadRequest',
          'specifying resource version is not allowed when using continue',
          {},
        ),
      );
    }
    const rawLimit = query.get('limit');
    if (rawLimit !== null && !/^-?\d+$/.test(rawLimit)) {
      return jsonReply(
        400,
        failure(400, 'BadRequest', `strconv.ParseInt: parsing "${rawLimit}": invalid syntax`, {}),
      );
    }
    const limit = rawLimit === null ? 0 : Math.max(0, Number(rawLimit));
    const snapshot = !token ? current : token.rv === -1 ? current : snapshots.get(token.rv);
    if (!snapshot) return expired(rawContinue);
    const labels = query.get('labelSelector') ?? '';
    const fields = query.get('fieldSelector') ?? '';
    const all = matching(snapshot, resource, namespace, labels, fields);
    const offset = token?.offset ?? 0;
    const end = limit > 0 ? Math.min(offset + limit, all.length) : all.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshot.rv) };
    if (end < all.length) {
      metadata.continue = encodeContinue({
        rv: snapshot.rv,
        offset: end,
        page: (token?.page ?? 1) + 1,
      });
      // The real server leaves remainingItemCount out when a selector makes the count unknown.
      if (!labels && !fields) metadata.remainingItemCount = all.length - end;
    }
    return {
      status: 200,
      body: listBody(
        `${resource.kind}List`,
        groupVersionOf(resource),
        metadata,
        all.slice(offset, end),
      ),
    };
  }

  function get(route: Extract<Route, { type: 'get' }>): Reply {
    const found = (current.byResource.get(route.resource.plural) ?? []).find(
      (o) => o.name === route.name && o.namespace === route.namespace,
    );
    if (found) return jsonReply(200, found.object);
    return jsonReply(
      404,
      failure(
        404,
        'NotFound',
        `${qualified(route.resource)} "${route.name}" not found`,
        resourceDetails(route.resource, route.name),
      ),
    );
  }

  function serve(route: Route, query: URLSearchParams): Reply {
    switch (route.type) {
      case 'document':
        return jsonReply(200, route.body);
      case 'health':
        return { status: 200, body: ['ok'], contentType: 'text/plain; charset=utf-8' };
      case 'pageNotFound':
        return {
          status: 404,
          body: ['404 page not found\n'],
          contentType: 'text/plain; charset=utf-8',
        };
      case 'unknownResource':
        return jsonReply(404, RESOURCE_NOT_FOUND);
      case 'list':
        return list(route, query);
      case 'get':
        return get(route);
    }
  }

  /** Authentication and authorization, in the API server's order; undefined = allowed. */
  function admit(req: IncomingMessage, route: Route, path: string): Reply | undefined {
    const header = req.headers.authorization;
    if (header === undefined) {
      if (anonymous === 'unauthorized') return jsonReply(401, UNAUTHORIZED);
      return PUBLIC_PATHS.has(path)
        ? undefined
        : jsonReply(403, forbidden(route, path, 'system:anonymous'));
    }
    const match = /^bearer\s+(.+)$/i.exec(header.trim());
    if (!match || match[1] !== token) return jsonReply(401, UNAUTHORIZED);
    return isDenied(route) ? jsonReply(403, forbidden(route, path, user)) : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname;
    const record: MutableRecord = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization !== undefined,
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
      fault: undefined,
      startedAt: Date.now(),
      durationMs: undefined,
      status: undefined,
    };
    requests.push(record);
    // Settled as soon as the server has written everything, before the client can see the end,
    // so tests may assert on a record right after their request resolves. First call wins.
    const settle = (status: number): void => {
      record.durationMs ??= Date.now() - record.startedAt;
      record.status ??= status;
    };
    res.on('close', () => settle(0));

    const route = routeOf(path, documents);
    let page: number | undefined;
    if (route.type === 'list') {
      try {
        page = url.searchParams.get('continue')
          ? decodeContinue(url.searchParams.get('continue')!).page
          : 1;
      } catch {
        page = undefined; // a bad token is answered with 400 below
      }
    }
    let fault = takeFault(path, page);
    if (fault?.type === 'delay') {
      record.fault = 'delay';
      await sleep(fault.ms);
      if (res.destroyed || stopped) return;
      fault = undefined;
    }
    if (fault?.type === 'reset') {
      record.fault = 'reset';
      resetConnection(req.socket);
      settle(0);
      return;
    }
    if (fault?.type === 'status') {
      record.fault = `status:${fault.code}`;
      await sendReply(
        res,
        faultStatus(fault.code, route, path, url.searchParams, fault.retryAfterSeconds ?? 1),
      );
      settle(res.statusCode);
      return;
    }

    let reply = admit(req, route, path);
    if (!reply && req.method !== 'GET') {
      reply = jsonReply(
        405,
        failure(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
          {},
        ),
      );
    }
    if (!reply && route.type === 'list' && /^(true|1)$/.test(url.searchParams.get('watch') ?? '')) {
      reply = jsonReply(
        400,
        failure(
          400,
          'BadRequest',
          'watch is not supported by the skewguard test API server; list without watch=true',
          {},
        ),
      );
    }
    if (!reply) {
      try {
        reply = serve(route, url.searchParams);
      } catch (error) {
        if (!(error instanceof BadRequestError)) throw error;
        reply = jsonReply(400, failure(400, 'BadRequest', error.message, {}));
      }
    }
    if (fault?.type === 'truncate') {
      record.fault = 'truncate';
      sendTruncated(res, reply, fault.abort ?? false);
      settle(fault.abort ? 0 : res.statusCode);
      return;
    }
    await sendReply(res, reply);
    settle(res.statusCode);
  }

  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the test server itself: answer 500 with the reason so the failing test shows it.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = `test API server error: ${error instanceof Error ? error.message : String(error)}`;
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(failure(500, 'InternalError', message, {})));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A TLS handshake a test client aborts is not a test server failure.
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  documents = discoveryDocuments(`127.0.0.1:${port}`);
  documents.set('/version', version);

  function kubeconfig(overrides: { readonly token?: string } = {}): string {
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: TEST_CONTEXT,
          cluster: {
            server: url,
            'certificate-authority-data': Buffer.from(tls.caPem).toString('base64'),
          },
        },
      ],
      users: [{ name: TEST_CONTEXT, user: { token: overrides.token ?? token } }],
      contexts: [{ name: TEST_CONTEXT, context: { cluster: TEST_CONTEXT, user: TEST_CONTEXT } }],
      'current-context': TEST_CONTEXT,
      preferences: {},
    };
    // JSON is valid YAML, and every kubeconfig loader reads it.
    return `${JSON.stringify(config, null, 2)}\n`;
  }

  return {
    url,
    caPem: tls.caPem,
    token,
    requests,
    setFault(rule) {
      if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
        throw new Error(
          `setFault: times must be a positive integer, got ${rule.times}; omit it for every request.`,
        );
      }
      faults.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults.length = 0;
    },
    clearRequests() {
      requests.length = 0;
    },
    setObjects(objects) {
      current = buildSnapshot(objects, current.rv + 1);
      snapshots.set(current.rv, current);
    },
    compact() {
      for (const rv of snapshots.keys()) if (rv !== current.rv) snapshots.delete(rv);
      filterCache.clear();
    },
    kubeconfig,
    async writeKubeconfig(dir, overrides) {
      const file = join(dir, 'kubeconfig');
      await writeFile(file, kubeconfig(overrides), { mode: 0o600 });
      return file;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const [timer, wake] of timers) {
          clearTimeout(timer);
          wake();
        }
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** The suite's test API server and a kubeconfig for it, as `useKubeApiServer` keeps them. */
export interface SuiteApiServer {
  readonly server: KubeApiServer;
  readonly kubeconfig: string;
}

/**
 * One test API server for a Jest suite, serving `documents` (`kubectl version -o json` output
 * first, then the object lists), reset to them with no faults or recorded requests before each
 * test. Read `server` and `kubeconfig` inside tests, once `beforeAll` has run.
 */
export function useKubeApiServer(documents: readonly unknown[]): SuiteApiServer {
  const [versionDoc, ...objects] = documents as [Record<string, unknown>, ...unknown[]];
  let started: { server: KubeApiServer; kubeconfig: string } | undefined;
  const current = (): { server: KubeApiServer; kubeconfig: string } => {
    if (!started) throw new Error('the test API server is not started: use it inside tests');
    return started;
  };
  beforeAll(async () => {
    const server = await startKubeApiServer({
      objects,
      version: versionDoc['serverVersion'] as Record<string, unknown>,
    });
    const dir = await mkdtemp(join(tmpdir(), 'skewguard-kc-'));
    started = { server, kubeconfig: await server.writeKubeconfig(dir) };
  });
  afterAll(async () => {
    await started?.server.stop();
  });
  beforeEach(() => {
    const { server } = current();
    server.clearFaults();
    server.clearRequests();
    server.setObjects(objects);
  });
  return {
    get server() {
      return current().server;
    },
    get kubeconfig() {
      return current().kubeconfig;
    },
  };
}

/**
 * The test API server's public types: what a test may ask of it (options, RBAC denials, faults)
 * and what it hands back (the running server and the requests it recorded).
 */

/** Options for {@link startKubeApiServer}. */
export interface KubeApiServerOptions {
  /** kubectl JSON objects (or `*List` objects holding them) to serve. Default none. */
  readonly objects?: readonly unknown[];
  /** `/version` body, a `kubectl version -o json` output, or just the gitVersion. Default v1.30.4. */
  readonly version?: string | Readonly<Record<string, unknown>>;
  /** Plain-text bodies by path, e.g. the API server's own `/metrics`. Default none (404). */
  readonly texts?: Readonly<Record<string, string>>;
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
  /**
   * Custom resources whose CRDs are installed: their lists are served. Default none, so their
   * paths answer 404 as on a cluster without Argo CD or Flux.
   */
  readonly crds?: readonly ('Application' | 'Kustomization' | 'HelmRelease')[];
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

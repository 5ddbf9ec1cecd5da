import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeApiServer } from '../support/kube-api-server';
import { DEFAULT_TEST_USER, startKubeApiServer } from '../support/kube-api-server';
import { list, node, staticPod, versionOutput } from '../support/kube-objects';
import { testTls } from '../support/tls';

// ---------------------------------------------------------------------------------------------
// Fixtures: five nodes, pods in three namespaces, one workload of each apps kind.

const NODE_NAMES = ['node-a', 'node-b', 'node-c', 'node-d', 'node-e'];

function pod(
  namespace: string,
  name: string,
  nodeName: string,
  labels: Record<string, string>,
  phase = 'Running',
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName, containers: [{ name: 'main', image: 'registry.example/app:1.0' }] },
    status: { phase },
  };
}

function workload(kind: string, namespace: string, name: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace, generation: 3, labels: { app: name } },
    spec: {},
    status: { observedGeneration: 3 },
  };
}

const PODS = [
  pod('shop', 'web-1', 'node-a', { app: 'web', tier: 'frontend' }),
  pod('shop', 'web-2', 'node-b', { app: 'web', tier: 'frontend' }),
  pod('shop', 'db-0', 'node-c', { app: 'db', tier: 'backend' }, 'Pending'),
  pod('ops', 'agent-1', 'node-a', { app: 'agent' }),
  staticPod('kube-apiserver', 'node-a', 'registry.k8s.io/kube-apiserver:v1.30.4'),
];

const OBJECTS: unknown[] = [
  // Nodes go in as a kubectl List, out of order: the server must flatten and sort them.
  list([...NODE_NAMES].reverse().map((n) => node(n, 'v1.30.2', n < 'node-c' ? 'ng-1' : 'ng-2'))),
  ...PODS,
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' }, status: { phase: 'Active' } },
  workload('Deployment', 'shop', 'web'),
  workload('StatefulSet', 'shop', 'db'),
  workload('DaemonSet', 'kube-system', 'kube-proxy'),
  workload('ReplicaSet', 'shop', 'web-7c9f'),
];

// ---------------------------------------------------------------------------------------------
// A tiny HTTPS client that trusts the test CA and reports transport errors as values.

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

function call(
  server: KubeApiServer,
  path: string,
  headers: Record<string, string> = { authorization: `Bearer ${server.token}` },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { ca: server.caPem, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function getJson(server: KubeApiServer, path: string): Promise<Record<string, unknown>> {
  const answer = await call(server, path);
  expect(answer.headers['content-type']).toBe('application/json');
  return JSON.parse(answer.text) as Record<string, unknown>;
}

interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: { kind?: string; apiVersion?: string; metadata: { name: string; namespace?: string } }[];
}

async function getList(server: KubeApiServer, path: string): Promise<ListBody> {
  return (await getJson(server, path)) as unknown as ListBody;
}

const names = (body: ListBody): string[] => body.items.map((i) => i.metadata.name);
const qs = (params: Record<string, string>): string => `?${new URLSearchParams(params).toString()}`;

let server: KubeApiServer;

beforeAll(async () => {
  server = await startKubeApiServer({ objects: OBJECTS, version: 'v1.30.4-eks-a737599' });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.clearFaults();
  server.clearRequests();
});

// ---------------------------------------------------------------------------------------------

describe('test TLS material', () => {
  it('is a CA-signed certificate for 127.0.0.1 and localhost, made once per process', async () => {
    const first = await testTls();
    expect(await testTls()).toBe(first);
    const cert = new X509Certificate(first.certPem);
    const ca = new X509Certificate(first.caPem);
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(first.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('is rejected by a client that does not trust the test CA', async () => {
    const error = await new Promise<Error>((resolve) => {
      request(`${server.url}/version`, (res) => res.resume())
        .on('error', resolve)
        .end();
    });
    expect(error.message).toMatch(/self[- ]signed certificate|unable to (get|verify)/i);
  });
});

describe('discovery and version', () => {
  it('serves /version from a gitVersion', async () => {
    expect(await getJson(server, '/version')).toMatchObject({
      major: '1',
      minor: '30',
      gitVersion: 'v1.30.4-eks-a737599',
      platform: 'linux/amd64',
    });
  });

  it('serves the serverVersion block of `kubectl version -o json` output', async () => {
    const other = await startKubeApiServer({ version: versionOutput('v1.29.8') });
    try {
      expect(await getJson(other, '/version')).toMatchObject({
        gitVersion: 'v1.29.8',
        minor: '29',
      });
    } finally {
      await other.stop();
    }
  });

  it('answers the legacy discovery documents kubectl walks', async () => {
    expect(await getJson(server, '/api')).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    expect(await getJson(server, '/apis')).toMatchObject({
      kind: 'APIGroupList',
      groups: [{ name: 'apps', preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
    });
    const core = (await getJson(server, '/api/v1')) as {
      groupVersion: string;
      resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
    };
    expect(core.groupVersion).toBe('v1');
    expect(core.resources.map((r) => [r.name, r.kind, r.namespaced])).toEqual([
      ['nodes', 'Node', false],
      ['namespaces', 'Namespace', false],
      ['pods', 'Pod', true],
    ]);
    const apps = (await getJson(server, '/apis/apps/v1')) as { resources: { name: string }[] };
    expect(apps.resources.map((r) => r.name)).toEqual([
      'deployments',
      'statefulsets',
      'daemonsets',
      'replicasets',
    ]);
  });

  it('answers unknown API resources with a NotFound Status and other paths with plain 404', async () => {
    const unknown = await call(server, '/api/v1/services');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    const page = await call(server, '/metrics');
    expect([page.status, page.text]).toEqual([404, '404 page not found\n']);
  });
});

describe('lists and gets', () => {
  it('returns a NodeList shaped like the real server, items sorted and without kind/apiVersion', async () => {
    const body = await getList(server, '/api/v1/nodes');
    expect(body.kind).toBe('NodeList');
    expect(body.apiVersion).toBe('v1');
    expect(body.metadata).toEqual({ resourceVersion: expect.stringMatching(/^\d+$/) });
    expect(names(body)).toEqual(NODE_NAMES);
    for (const item of body.items) {
      expect(item).not.toHaveProperty('kind');
      expect(item).not.toHaveProperty('apiVersion');
    }
  });

  it('gets one object by name, with kind and apiVersion', async () => {
    expect(await getJson(server, '/api/v1/nodes/node-c')).toMatchObject({
      kind: 'Node',
      apiVersion: 'v1',
      metadata: { name: 'node-c' },
    });
    expect(await getJson(server, '/apis/apps/v1/namespaces/shop/deployments/web')).toMatchObject({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web', namespace: 'shop' },
    });
  });

  it('answers a missing object with the NotFound Status the real server sends', async () => {
    const answer = await call(server, '/apis/apps/v1/namespaces/shop/deployments/nope');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  it.each([
    ['/api/v1/pods', 'PodList', ['kube-apiserver-node-a', 'agent-1', 'db-0', 'web-1', 'web-2']],
    ['/api/v1/namespaces/shop/pods', 'PodList', ['db-0', 'web-1', 'web-2']],
    ['/api/v1/namespaces/empty/pods', 'PodList', []],
    ['/api/v1/namespaces', 'NamespaceList', ['shop']],
    ['/apis/apps/v1/deployments', 'DeploymentList', ['web']],
    ['/apis/apps/v1/namespaces/shop/statefulsets', 'StatefulSetList', ['db']],
    ['/apis/apps/v1/daemonsets', 'DaemonSetList', ['kube-proxy']],
    ['/apis/apps/v1/namespaces/shop/replicasets', 'ReplicaSetList', ['web-7c9f']],
    ['/apis/apps/v1/namespaces/ops/replicasets', 'ReplicaSetList', []],
  ])('lists %s', async (path, kind, expected) => {
    const body = await getList(server, path);
    expect(body.kind).toBe(kind);
    expect(body.apiVersion).toBe(path.startsWith('/apis/apps') ? 'apps/v1' : 'v1');
    expect(names(body)).toEqual(expected);
  });

  it('streams a large unpaginated list in chunks that still parse as one document', async () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      node(`n-${String(i).padStart(5, '0')}`, 'v1.30.1'),
    );
    const big = await startKubeApiServer({ objects: many });
    try {
      const answer = await call(big, '/api/v1/nodes');
      expect(answer.headers['transfer-encoding']).toBe('chunked');
      const body = JSON.parse(answer.text) as ListBody;
      expect(body.items).toHaveLength(5000);
      expect(body.items[4999]!.metadata.name).toBe('n-04999');
    } finally {
      await big.stop();
    }
  });

  it('rejects fixtures it cannot serve, naming the object', async () => {
    await expect(
      startKubeApiServer({ objects: [{ kind: 'Service', metadata: { name: 'x' } }] }),
    ).rejects.toThrow(/fixture #0 has kind Service; the test server serves Node, Namespace, Pod/);
    await expect(
      startKubeApiServer({ objects: [node('dup', 'v1.30.1'), node('dup', 'v1.30.1')] }),
    ).rejects.toThrow('fixture Node dup appears twice');
  });
});

describe('pagination', () => {
  it('pages 5 nodes with limit 2 into 3 pages, the continue token round-tripping', async () => {
    const pages: ListBody[] = [];
    let token: string | undefined;
    do {
      const page = await getList(
        server,
        `/api/v1/nodes${qs({ limit: '2', ...(token ? { continue: token } : {}) })}`,
      );
      pages.push(page);
      token = page.metadata.continue;
    } while (token && pages.length < 10);
    expect(pages.map(names)).toEqual([['node-a', 'node-b'], ['node-c', 'node-d'], ['node-e']]);
    expect(pages.map((p) => p.metadata.remainingItemCount)).toEqual([3, 1, undefined]);
    expect(pages[2]!.metadata).not.toHaveProperty('continue');
    expect(new Set(pages.map((p) => p.metadata.resourceVersion)).size).toBe(1);
    const sent = server.requests.map((r) => r.query['continue']);
    expect(sent).toEqual([undefined, pages[0]!.metadata.continue, pages[1]!.metadata.continue]);
    // Opaque to clients, but base64 JSON of position and resourceVersion underneath.
    expect(JSON.parse(Buffer.from(pages[0]!.metadata.continue!, 'base64url').toString())).toEqual({
      v: 'meta.k8s.io/v1',
      rv: Number(pages[0]!.metadata.resourceVersion),
      offset: 2,
      page: 2,
    });
  });

  it('omits remainingItemCount when a selector is set, as the real server does', async () => {
    const page = await getList(server, `/api/v1/pods${qs({ limit: '1', labelSelector: 'tier' })}`);
    expect(names(page)).toEqual(['kube-apiserver-node-a']);
    expect(page.metadata.continue).toEqual(expect.any(String));
    expect(page.metadata).not.toHaveProperty('remainingItemCount');
  });

  it('keeps a paged list consistent when objects change, until compaction expires the token', async () => {
    const own = await startKubeApiServer({ objects: NODE_NAMES.map((n) => node(n, 'v1.30.2')) });
    try {
      const first = await getList(own, `/api/v1/nodes${qs({ limit: '2' })}`);
      own.setObjects([node('node-z', 'v1.31.0')]);
      const second = await getList(
        own,
        `/api/v1/nodes${qs({ limit: '2', continue: first.metadata.continue! })}`,
      );
      expect(names(second)).toEqual(['node-c', 'node-d']);
      expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);

      own.compact();
      const gone = await call(
        own,
        `/api/v1/nodes${qs({ limit: '2', continue: second.metadata.continue! })}`,
      );
      expect(gone.status).toBe(410);
      const status = JSON.parse(gone.text) as { metadata: { continue: string }; message: string };
      expect(status).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
      });
      expect(status.message).toMatch(
        /^The provided continue parameter is too old to display a consistent list result\./,
      );
      // The handed-out token continues (inconsistently) at the latest resourceVersion.
      const rest = await getList(
        own,
        `/api/v1/nodes${qs({ limit: '2', continue: status.metadata.continue })}`,
      );
      expect(names(rest)).toEqual([]);
      expect(Number(rest.metadata.resourceVersion)).toBeGreaterThan(
        Number(first.metadata.resourceVersion),
      );
    } finally {
      await own.stop();
    }
  });

  it.each([
    [qs({ continue: 'not-a-token' }), /^continue key is not valid/],
    [qs({ limit: 'ten' }), /invalid syntax/],
  ])('rejects %s with 400 BadRequest', async (query, message) => {
    const answer = await call(server, `/api/v1/nodes${query}`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({
      reason: 'BadRequest',
      code: 400,
      message: expect.stringMatching(message),
    });
  });
});

describe('selectors', () => {
  it.each([
    ['app=web', ['web-1', 'web-2']],
    ['app==web,tier=frontend', ['web-1', 'web-2']],
    ['tier!=frontend', ['kube-apiserver-node-a', 'agent-1', 'db-0']],
    ['app in (db, agent)', ['agent-1', 'db-0']],
    ['app notin (web,db),tier', ['kube-apiserver-node-a']],
    ['tier', ['kube-apiserver-node-a', 'db-0', 'web-1', 'web-2']],
    ['!tier', ['agent-1']],
    ['component=kube-apiserver,tier=control-plane', ['kube-apiserver-node-a']],
  ])('labelSelector %s', async (selector, expected) => {
    expect(names(await getList(server, `/api/v1/pods${qs({ labelSelector: selector })}`))).toEqual(
      expected,
    );
  });

  it.each([
    ['spec.nodeName=node-a', ['kube-apiserver-node-a', 'agent-1', 'web-1']],
    ['metadata.namespace=shop,spec.nodeName!=node-a', ['db-0', 'web-2']],
    ['metadata.name==db-0', ['db-0']],
    ['status.phase!=Running', ['db-0']],
  ])('fieldSelector %s', async (selector, expected) => {
    expect(names(await getList(server, `/api/v1/pods${qs({ fieldSelector: selector })}`))).toEqual(
      expected,
    );
  });

  it('combines selectors with namespaces and pagination', async () => {
    const path = `/api/v1/namespaces/shop/pods${qs({ labelSelector: 'app=web', fieldSelector: 'spec.nodeName=node-b', limit: '5' })}`;
    expect(names(await getList(server, path))).toEqual(['web-2']);
  });

  it.each([
    ['fieldSelector', 'spec.image=x', 'field label not supported: spec.image'],
    ['labelSelector', 'app in web', `couldn't parse the selector string "app in web"`],
    ['labelSelector', 'app=-bad-', 'invalid label value "-bad-"'],
  ])('rejects %s %s with 400 BadRequest', async (param, selector, message) => {
    const answer = await call(server, `/api/v1/pods${qs({ [param]: selector })}`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message,
    });
  });
});

describe('authentication and authorization', () => {
  const UNAUTHORIZED = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Unauthorized',
    reason: 'Unauthorized',
    code: 401,
  };

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer wrong' }],
    ['a non-bearer scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])(
    'answers %s with 401 and the real Status body',
    async (_what, headers: Record<string, string>) => {
      for (const path of ['/api/v1/nodes', '/version']) {
        const answer = await call(server, path, headers);
        expect(answer.status).toBe(401);
        expect(JSON.parse(answer.text)).toEqual(UNAUTHORIZED);
      }
      expect(server.requests.map((r) => r.status)).toEqual([401, 401]);
    },
  );

  it('serves anonymous requests only on public paths when anonymous auth is on (EKS)', async () => {
    const eks = await startKubeApiServer({ anonymous: 'forbidden' });
    try {
      expect((await call(eks, '/version', {})).status).toBe(200);
      const answer = await call(eks, '/api/v1/nodes', {});
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.text)).toMatchObject({
        message:
          'nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope',
      });
    } finally {
      await eks.stop();
    }
  });

  it('denies listed resources with the exact RBAC 403 Status', async () => {
    const rbac = await startKubeApiServer({
      objects: OBJECTS,
      deny: [
        'nodes',
        { resource: 'deployments', scope: 'shop' },
        { resource: 'pods', scope: 'cluster', verb: 'list' },
      ],
    });
    try {
      const nodes = await call(rbac, '/api/v1/nodes', { authorization: `Bearer ${rbac.token}` });
      expect(nodes.status).toBe(403);
      expect(JSON.parse(nodes.text)).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'nodes is forbidden: User "system:serviceaccount:skewguard:reader" cannot list resource "nodes" in API group "" at the cluster scope',
        reason: 'Forbidden',
        details: { kind: 'nodes' },
        code: 403,
      });
      const auth = { authorization: `Bearer ${rbac.token}` };
      const deployments = JSON.parse(
        (await call(rbac, '/apis/apps/v1/namespaces/shop/deployments/web', auth)).text,
      ) as unknown;
      expect(deployments).toMatchObject({
        message: `deployments.apps "web" is forbidden: User "${DEFAULT_TEST_USER}" cannot get resource "deployments" in API group "apps" in the namespace "shop"`,
        details: { name: 'web', group: 'apps', kind: 'deployments' },
      });
      // Denials are scoped: the same resources elsewhere still answer.
      expect((await call(rbac, '/apis/apps/v1/namespaces/ops/deployments', auth)).status).toBe(200);
      expect((await call(rbac, '/api/v1/pods', auth)).status).toBe(403);
      expect((await call(rbac, '/api/v1/namespaces/shop/pods', auth)).status).toBe(200);
    } finally {
      await rbac.stop();
    }
  });

  it('refuses writes and watches instead of pretending', async () => {
    const headers = { authorization: `Bearer ${server.token}` };
    const post = await new Promise<number>((resolve, reject) => {
      request(
        `${server.url}/api/v1/nodes`,
        { method: 'POST', ca: server.caPem, headers },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end('{}');
    });
    expect(post).toBe(405);
    const watch = await call(server, `/api/v1/pods${qs({ watch: 'true' })}`);
    expect(JSON.parse(watch.text)).toMatchObject({
      code: 400,
      message: expect.stringContaining('watch is not supported'),
    });
  });
});

describe('injected faults', () => {
  it.each([
    [401, 'Unauthorized', 'Unauthorized'],
    [
      403,
      'Forbidden',
      `nodes is forbidden: User "${DEFAULT_TEST_USER}" cannot list resource "nodes" in API group "" at the cluster scope`,
    ],
    [500, 'InternalError', 'Internal error occurred: injected by the test server'],
    [503, 'ServiceUnavailable', 'the server is currently unable to handle the request'],
    [504, 'Timeout', expect.stringMatching(/^Timeout: request did not complete/)],
  ] as const)('answers %i with the real Status body', async (code, reason, message) => {
    server.setFault({ path: '/api/v1/nodes', fault: { type: 'status', code } });
    const answer = await call(server, '/api/v1/nodes');
    expect(answer.status).toBe(code);
    expect(JSON.parse(answer.text)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code,
      reason,
      message,
    });
    expect(server.requests[0]).toMatchObject({
      fault: `status:${code}`,
      status: code,
      authorization: true,
    });
  });

  it('answers 429 with Retry-After for the first 2 requests only', async () => {
    server.setFault({ path: '/api/v1/nodes', times: 2, fault: { type: 'status', code: 429 } });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call(server, '/api/v1/nodes'));
    expect(answers.map((a) => a.status)).toEqual([429, 429, 200]);
    expect(answers[0]!.headers['retry-after']).toBe('1');
    expect(JSON.parse(answers[0]!.text)).toMatchObject({
      reason: 'TooManyRequests',
      message: 'Too many requests, please try again later.',
      details: { retryAfterSeconds: 1 },
    });
  });

  it('matches paths by pattern and leaves other paths alone', async () => {
    server.setFault({ path: /^\/apis\/apps\/v1\//, fault: { type: 'status', code: 503 } });
    expect((await call(server, '/apis/apps/v1/deployments')).status).toBe(503);
    expect((await call(server, '/apis/apps/v1/namespaces/shop/statefulsets')).status).toBe(503);
    expect((await call(server, '/api/v1/nodes')).status).toBe(200);
  });

  it('expires the continue token on the Nth page (410 mid-list)', async () => {
    server.setFault({
      path: '/api/v1/nodes',
      page: 2,
      times: 1,
      fault: { type: 'status', code: 410 },
    });
    const first = await getList(server, `/api/v1/nodes${qs({ limit: '2' })}`);
    const gone = await call(
      server,
      `/api/v1/nodes${qs({ limit: '2', continue: first.metadata.continue! })}`,
    );
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.text)).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: { continue: expect.any(String) },
      status: 'Failure',
      message: expect.stringContaining(
        'You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.',
      ),
      reason: 'Expired',
      code: 410,
    });
    // The fault was used up: the same page now answers.
    const again = await getList(
      server,
      `/api/v1/nodes${qs({ limit: '2', continue: first.metadata.continue! })}`,
    );
    expect(names(again)).toEqual(['node-c', 'node-d']);
  });

  it('delays a response by the given time', async () => {
    server.setFault({ path: '/version', times: 1, fault: { type: 'delay', ms: 300 } });
    const started = Date.now();
    expect((await call(server, '/version')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(server.requests[0]!.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('truncates a body to half and ends cleanly, so the JSON is invalid', async () => {
    server.setFault({ path: '/api/v1/pods', fault: { type: 'truncate' } });
    const answer = await call(server, '/api/v1/pods');
    expect(answer.status).toBe(200);
    expect(answer.text.startsWith('{"kind":"PodList"')).toBe(true);
    expect(() => JSON.parse(answer.text) as unknown).toThrow(SyntaxError);
  });

  it('can cut the connection mid-body instead', async () => {
    server.setFault({ path: '/api/v1/pods', fault: { type: 'truncate', abort: true } });
    await expect(call(server, '/api/v1/pods')).rejects.toThrow(/aborted|ECONNRESET|socket hang up/);
  });

  it('resets the connection', async () => {
    server.setFault({ path: '/api/v1/nodes', times: 1, fault: { type: 'reset' } });
    await expect(call(server, '/api/v1/nodes')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await call(server, '/api/v1/nodes')).status).toBe(200);
    expect(server.requests.map((r) => [r.fault, r.status])).toEqual([
      ['reset', 0],
      [undefined, 200],
    ]);
  });

  it('rejects a fault rule with a meaningless count', () => {
    expect(() => server.setFault({ times: 0, fault: { type: 'reset' } })).toThrow(
      /times must be a positive integer/,
    );
  });
});

describe('stop', () => {
  it('closes sockets of requests still in flight and resolves promptly', async () => {
    const own = await startKubeApiServer();
    own.setFault({ fault: { type: 'delay', ms: 60_000 } });
    const pending = call(own, '/version').catch((e: unknown) => e);
    while (own.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await own.stop();
    await own.stop(); // idempotent
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toMatchObject({
      message: expect.stringMatching(/socket hang up|ECONNRESET/),
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Real clients prove the server speaks the API faithfully.

// The first import transforms the ESM-only client through ts-jest: tens of seconds on a cold cache.
const CLIENT_NODE_COLD_IMPORT_MS = 120_000;

describe('@kubernetes/client-node through a written kubeconfig', () => {
  it(
    'pages nodes with limit and _continue',
    async () => {
      const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node');
      const dir = await mkdtemp(join(tmpdir(), 'skewguard-kas-'));
      try {
        const config = new KubeConfig();
        config.loadFromFile(await server.writeKubeconfig(dir));
        const api = config.makeApiClient(CoreV1Api);
        const first = await api.listNode({ limit: 3 });
        const second = await api.listNode({ limit: 3, _continue: first.metadata?._continue });
        expect([...first.items, ...second.items].map((n) => n.metadata?.name)).toEqual(NODE_NAMES);
        expect(second.metadata?._continue).toBeUndefined();
        expect(first.metadata?.remainingItemCount).toBe(2);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    CLIENT_NODE_COLD_IMPORT_MS,
  );
});

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const KUBECTL = onPath('kubectl');
const IN_CI = process.env.CI === 'true';
if (!KUBECTL && !IN_CI) {
  console.warn(
    'kube-api-server.test.ts: kubectl is not on PATH, so the two real-kubectl checks are skipped. ' +
      'Install kubectl to run them (they are required when CI=true).',
  );
}
// Without kubectl: skip locally, but run (and fail loudly) in CI.
const withKubectl = KUBECTL || IN_CI ? it : it.skip;

describe('real kubectl against the test server', () => {
  let dir: string;
  let kubeconfig: string;
  const run = promisify(execFile);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skewguard-kubectl-'));
    kubeconfig = await server.writeKubeconfig(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const kubectlRequests = () => server.requests.filter((r) => r.userAgent?.startsWith('kubectl/'));

  async function kubectl(...args: string[]): Promise<{ items: Record<string, unknown>[] }> {
    if (!KUBECTL)
      throw new Error('kubectl is not on PATH but CI=true requires these checks: install kubectl.');
    // Async on purpose: a sync spawn would block the event loop the in-process server runs on.
    const { stdout } = await run(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      {
        env: { PATH: process.env.PATH ?? '', HOME: dir },
        timeout: 20_000,
      },
    );
    return JSON.parse(stdout) as { items: Record<string, unknown>[] };
  }

  withKubectl('kubectl get nodes -o json lists every node', async () => {
    const out = await kubectl('get', 'nodes', '-o', 'json');
    expect(
      out.items.map((i) => [i.kind, i.apiVersion, (i.metadata as { name: string }).name]),
    ).toEqual(NODE_NAMES.map((n) => ['Node', 'v1', n]));
    const lists = kubectlRequests().filter((r) => r.path === '/api/v1/nodes');
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatchObject({ authorization: true, query: { limit: '500' } });
    expect(kubectlRequests().some((r) => r.path === '/api')).toBe(true);
  });

  withKubectl('kubectl get pods -A --chunk-size=2 -o json pages through every pod', async () => {
    const out = await kubectl('get', 'pods', '-A', '--chunk-size=2', '-o', 'json');
    const got = out.items.map((i) => {
      const meta = i.metadata as { namespace: string; name: string };
      return `${meta.namespace}/${meta.name}`;
    });
    expect(got).toEqual(
      [
        'kube-system/kube-apiserver-node-a',
        'ops/agent-1',
        'shop/db-0',
        'shop/web-1',
        'shop/web-2',
      ].sort(),
    );
    const pages = kubectlRequests().filter((r) => r.path === '/api/v1/pods');
    expect(pages.map((r) => r.query['limit'])).toEqual(['2', '2', '2']);
    expect(pages.map((r) => Boolean(r.query['continue']))).toEqual([false, true, true]);
  });
});

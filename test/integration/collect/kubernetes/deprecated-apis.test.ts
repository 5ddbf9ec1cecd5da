import { collectFromKubernetes } from '../../../../lib/collect/kubernetes/collect';
import { connect } from '../../../../lib/collect/kubernetes/connect';
import { parseDeprecatedApiMetrics } from '../../../../lib/collect/kubernetes/deprecated-apis';
import { DEFAULT_POLICY, evaluate } from '../../../../lib/rules';
import { NOW } from '../../../support/evaluate';
import type { KubeApiServer } from '../../../support/kube-api-server';
import { startKubeApiServer } from '../../../support/kube-api-server';
import { clusterDocuments } from '../../../support/kube-objects';

/**
 * An excerpt of a 1.31 API server's /metrics: FlowSchemas of flowcontrol v1beta3 (removed in
 * 1.32) still called by a client, PriorityLevelConfigurations of the same version asked for
 * without traffic counted on this instance, and unrelated families around them.
 */
const METRICS = `# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.
# TYPE apiserver_request_total counter
apiserver_request_total{code="200",component="apiserver",dry_run="",group="flowcontrol.apiserver.k8s.io",resource="flowschemas",scope="cluster",subresource="",verb="LIST",version="v1beta3"} 1180
apiserver_request_total{code="200",component="apiserver",dry_run="",group="flowcontrol.apiserver.k8s.io",resource="flowschemas",scope="cluster",subresource="",verb="WATCH",version="v1beta3"} 60
apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"} 98211
# HELP apiserver_requested_deprecated_apis [STABLE] Gauge of deprecated APIs that have been requested, broken out by API group, version, resource, subresource, and removed_release.
# TYPE apiserver_requested_deprecated_apis gauge
apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",removed_release="1.32",resource="flowschemas",subresource="",version="v1beta3"} 1
apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",removed_release="1.32",resource="prioritylevelconfigurations",subresource="",version="v1beta3"} 1
# HELP kubernetes_build_info [ALPHA] A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.
# TYPE kubernetes_build_info gauge
kubernetes_build_info{build_date="2024-10-22T20:28:14Z",compiler="gc",git_commit="0",git_tree_state="clean",git_version="v1.31.4",go_version="go1.22.8",major="1",minor="31",platform="linux/amd64"} 1
`;

const documents = clusterDocuments({
  serverVersion: 'v1.31.4',
  kubelets: { 'node-a': 'v1.31.4' },
});
const [versionDoc, ...objects] = documents as [Record<string, unknown>, ...unknown[]];

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer({
    objects,
    version: versionDoc['serverVersion'] as Record<string, unknown>,
    texts: { '/metrics': METRICS },
  });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.clearFaults();
  server.clearRequests();
});

async function collect(deprecatedApis: boolean) {
  const target = await connect({
    kind: 'token',
    server: server.url,
    token: server.token,
    caPem: server.caPem,
  });
  try {
    return await collectFromKubernetes({
      cluster: 'live',
      target,
      collectedAt: () => new Date(NOW).toISOString(),
      deprecatedApis,
    });
  } finally {
    target.agent.destroy();
  }
}

describe('deprecated APIs from the API server /metrics', () => {
  it('reads the gauge with each API’s request count and feeds DeprecatedApiInUse', async () => {
    const { snapshot } = await collect(true);
    expect(snapshot.parts.deprecatedApis).toEqual({ state: 'collected' });
    expect(snapshot.deprecatedApis).toEqual([
      {
        group: 'flowcontrol.apiserver.k8s.io',
        version: 'v1beta3',
        resource: 'flowschemas',
        removedRelease: '1.32',
        requestCount: 1240,
        window: 'the life of one API server instance',
        source: 'apiserver-metrics',
      },
      {
        group: 'flowcontrol.apiserver.k8s.io',
        version: 'v1beta3',
        resource: 'prioritylevelconfigurations',
        removedRelease: '1.32',
        requestCount: 0,
        window: 'the life of one API server instance',
        source: 'apiserver-metrics',
      },
    ]);
    const findings = evaluate(snapshot, DEFAULT_POLICY, NOW).findings.filter(
      (f) => f.ruleId === 'DeprecatedApiInUse',
    );
    expect(findings.map((f) => [f.severity, f.summary])).toEqual([
      [
        'warning',
        'flowcontrol.apiserver.k8s.io/v1beta3 flowschemas is still requested (1,240 requests over the life of one API server instance), callers unknown (EKS upgrade insights or the API server audit log name them), and is removed in 1.32, the next minor: those requests fail after the upgrade. Move the callers to flowcontrol.apiserver.k8s.io/v1 FlowSchema.',
      ],
    ]);
  });

  it('does not read /metrics when Prometheus supplies the deprecated APIs', async () => {
    const { snapshot } = await collect(false);
    expect(server.requests.map((r) => r.path)).not.toContain('/metrics');
    expect(snapshot.parts.deprecatedApis).toBeUndefined();
  });

  it('a forbidden /metrics leaves only the deprecated APIs missing, naming the RBAC rule', async () => {
    server.setFault({ path: '/metrics', fault: { type: 'status', code: 403 } });
    const { snapshot } = await collect(true);
    expect(snapshot.parts.deprecatedApis).toEqual({
      state: 'missing',
      reason:
        'GET /metrics on the API server is forbidden: add `get` on the nonResourceURL /metrics to the reader role (deploy/rbac/skewguard-reader.yaml has it), or configure Prometheus for this cluster',
    });
    expect(snapshot.parts.nodes).toEqual({ state: 'collected' });
    expect(evaluate(snapshot, DEFAULT_POLICY, NOW).coverage).toContainEqual(
      expect.objectContaining({ ruleId: 'DeprecatedApiInUse', status: 'skipped' }),
    );
  });
});

describe('parseDeprecatedApiMetrics', () => {
  it('ignores every other family, comments and a gauge at 0, and unescapes label values', () => {
    const text = [
      '# TYPE apiserver_requested_deprecated_apis gauge',
      'apiserver_requested_deprecated_apis{group="batch",removed_release="1.25",resource="cronjobs",subresource="",version="v1beta1"} 0',
      'apiserver_requested_deprecated_apis{group="x.example",removed_release="",resource="widgets",subresource="status",version="v1alpha1"} 1 1733572800000',
      'apiserver_request_total{group="x.example",resource="widgets",subresource="status",verb="PATCH",version="v1alpha1",note="a \\"quoted\\" value"} 7',
      'apiserver_request_total_other{group="x.example",resource="widgets",subresource="status",version="v1alpha1"} 1000',
    ].join('\n');
    expect(parseDeprecatedApiMetrics(text)).toEqual([
      {
        group: 'x.example',
        version: 'v1alpha1',
        resource: 'widgets',
        subresource: 'status',
        requestCount: 7,
        window: 'the life of one API server instance',
        source: 'apiserver-metrics',
      },
    ]);
  });
});

/**
 * `skewguard check` against the Kubernetes API test server when the source answers but one of its
 * reads fails: the run still exits by its findings, and stderr says what failed and how to fix it,
 * once per failed read, so CI sees it even with `--output json`. Also: when every list fails (one
 * message naming every denial), and when the snapshot file cannot be written.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckReport } from '../../lib/cli/report';
import { cli } from '../support/cli';
import { useKubeApiServer } from '../support/kube-api-server';
import { clusterDocuments } from '../support/kube-objects';

// A kubeadm-style cluster whose controller-manager is newer than its apiserver: a critical
// finding with `for` 0 that needs neither nodes nor workloads, so the run exits 1 throughout.
// Its minors (1.36, 1.37) are in upstream support at the test clock, so nothing else is critical.
const CLUSTER = clusterDocuments({
  serverVersion: 'v1.36.4',
  apiservers: { 'cp-1': 'v1.36.4' },
  controllerManagers: { 'cp-1': 'v1.37.0' },
  schedulers: { 'cp-1': 'v1.36.4' },
  etcd: { 'cp-1': '3.5.12-0' },
  kubelets: { 'cp-1': 'v1.36.4', 'w-1': 'v1.36.2' },
  kubeProxies: { 'cp-1': 'v1.36.4', 'w-1': 'v1.36.2' },
});

// The demo cluster: stuck rollouts, so unhealthy workloads get their ReplicaSets read.
const DEMO_OBJECTS = ['nodes', 'kube-system-pods', 'app-pods', 'workloads'].map(
  (name) =>
    JSON.parse(
      readFileSync(join(__dirname, `../../examples/demo-cluster/${name}.json`), 'utf8'),
    ) as unknown,
);

const NODE_RULES = [
  'KubeletVersionSkew',
  'KubeProxyVersionSkew',
  'NextUpgradeBlocked',
  'ComponentVersionMismatch',
];

const api = useKubeApiServer(CLUSTER);

/** The stderr lines of a run. */
function lines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '');
}

/** The documented exit code for a report: 1 when a critical finding fires, else 0. */
function exitFor(report: CheckReport): number {
  return report.findings.some((f) => f.status === 'firing' && f.severity === 'critical') ? 1 : 0;
}

describe('skewguard check when one read of a source fails', () => {
  it('prints no warning when every read succeeds', async () => {
    const run = await cli('check', '--kubeconfig', api.kubeconfig, '--output', 'json');

    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'ControlPlaneVersionSkew', status: 'firing' }),
    );
    expect(run.code).toBe(1);
  });

  it('names the permission on stderr for a 403 on nodes; stdout stays one JSON object, exit by findings', async () => {
    api.server.setFault({ path: '/api/v1/nodes', fault: { type: 'status', code: 403 } });

    const run = await cli('check', '--kubeconfig', api.kubeconfig, '--output', 'json');

    // One line for the one failed read, though four rules need nodes.
    const warnings = lines(run.stderr);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^skewguard: warning: kubernetes answered, but a read failed \(forbidden\): cannot list nodes at cluster scope: grant list on nodes/,
    );
    expect(warnings[0]).toContain('Not collected: nodes;');
    expect(warnings[0]).toContain(`skipped, not passed: ${NODE_RULES.join(', ')}`);
    // The whole of stdout parses as one object: the warning went to stderr only.
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report.sources).toEqual([
      expect.objectContaining({ source: 'kubernetes', status: 'ok' }),
    ]);
    for (const ruleId of NODE_RULES) {
      expect(report.coverage).toContainEqual(
        expect.objectContaining({
          ruleId,
          status: 'skipped',
          reason: expect.stringContaining('grant list on nodes') as unknown,
        }),
      );
    }
    // The warning changes nothing about the exit code: still 1 for the firing critical finding.
    expect(run.code).toBe(exitFor(report));
    expect(run.code).toBe(1);
  });

  it('reports a 500 that outlasts the retries as a server error with the fix', async () => {
    api.server.setFault({ path: '/apis/apps/v1/daemonsets', fault: { type: 'status', code: 500 } });

    const run = await cli('check', '--kubeconfig', api.kubeconfig);

    // The CLI's request policy retried before giving up (1 request + 3 retries).
    const attempts = api.server.requests.filter((r) => r.path === '/apis/apps/v1/daemonsets');
    expect(attempts.map((r) => r.fault)).toEqual(Array(4).fill('status:500'));
    const warnings = lines(run.stderr);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^skewguard: warning: kubernetes answered, but a read failed \(server\): GET \/apis\/apps\/v1\/daemonsets: the API server answered 500/,
      ),
    ]);
    expect(warnings[0]).toContain("check the server's health");
    expect(warnings[0]).toContain(
      'skipped, not passed: DaemonSetGenerationMismatch, DaemonSetRolloutStuck, DaemonSetNotScheduled, DaemonSetMisScheduled',
    );
    // The table still shows the gap in its coverage section, once per cause, and the exit code
    // is the findings'.
    expect(run.stdout).toMatch(
      /daemonsets missing: [^(]*\(DaemonSetGenerationMismatch, DaemonSetRolloutStuck/,
    );
    expect(run.code).toBe(1);
  });

  it('reports truncated JSON on one list as a protocol error', async () => {
    api.server.setFault({ path: '/apis/apps/v1/statefulsets', fault: { type: 'truncate' } });

    const run = await cli('check', '--kubeconfig', api.kubeconfig, '--output', 'json');

    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(
        /^skewguard: warning: kubernetes answered, but a read failed \(protocol\): .*statefulsets.*; check for a proxy or load balancer/,
      ),
    ]);
    expect(run.code).toBe(exitFor(JSON.parse(run.stdout) as CheckReport));
  });

  it('prints one line per distinct failed read, however many parts and rules it leaves missing', async () => {
    api.server.setFault({ path: '/api/v1/nodes', fault: { type: 'status', code: 403 } });
    api.server.setFault({
      path: '/api/v1/namespaces/kube-system/pods',
      fault: { type: 'status', code: 403 },
    });

    const run = await cli('check', '--kubeconfig', api.kubeconfig, '--output', 'json');

    const warnings = lines(run.stderr);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('grant list on nodes');
    // kube-system's pods carry the control-plane, etcd and kube-proxy versions: one read, one line.
    expect(warnings[1]).toContain('cannot list pods in namespace kube-system: grant list on pods');
    expect(warnings[1]).toContain('Not collected: controlPlane, etcd, kubeProxy, pods;');
    const report = JSON.parse(run.stdout) as CheckReport;
    // Without the control-plane pods nothing critical fires: exit 0, warnings or not.
    expect(run.code).toBe(exitFor(report));
    expect(run.code).toBe(0);
  });

  it('prints no warning for components a managed provider hides', async () => {
    // EKS node group labels and no control-plane pods: EKS runs them out of sight. Upstream
    // versions on a supported minor, so the support calendar has nothing critical to say.
    const [, ...eksObjects] = clusterDocuments({
      serverVersion: 'v1.36.4',
      kubelets: { 'ip-10-0-1-10': 'v1.36.4' },
      nodeGroups: { 'ip-10-0-1-10': 'ng-1' },
      kubeProxies: { 'ip-10-0-1-10': 'v1.36.4-eksbuild.1' },
    });
    api.server.setObjects(eksObjects);

    const run = await cli('check', '--kubeconfig', api.kubeconfig, '--output', 'json');

    const report = JSON.parse(run.stdout) as CheckReport;
    for (const ruleId of ['ControlPlaneVersionSkew', 'EtcdVersionMismatch']) {
      expect(report.coverage).toContainEqual(
        expect.objectContaining({
          ruleId,
          status: 'skipped',
          reason: expect.stringContaining('not observable: EKS manages') as unknown,
        }),
      );
    }
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('prints no warning for data the input lacks by design (--from-file without workloads)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-cli-'));
    const file = join(dir, 'cluster.json');
    writeFileSync(file, JSON.stringify(CLUSTER));

    const run = await cli('check', '--from-file', file, '--output', 'json');

    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report.coverage).toContainEqual(
      expect.objectContaining({ ruleId: 'DeploymentRolloutStuck', status: 'skipped' }),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
  });
});

const deny = (path: RegExp): void =>
  api.server.setFault({ path, fault: { type: 'status', code: 403 } });

describe('skewguard check when reads are denied', () => {
  it('names every denied list and every grant in one message when nothing could be listed', async () => {
    deny(/\/(nodes|pods|deployments|statefulsets|daemonsets|replicasets)$/);

    const run = await cli('check', '--kubeconfig', api.kubeconfig);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^skewguard: cannot list nodes, deployments, statefulsets, daemonsets at cluster scope and pods in namespace kube-system: grant list on nodes, pods \(API group core\) and deployments, statefulsets, daemonsets \(API group apps\) — deploy\/rbac\/skewguard-reader\.yaml grants all of them and the reads that follow \(ReplicaSets and pods of unhealthy workloads\) \(server said for nodes: .*\)\n$/,
    );
  });

  it('names the other failures too when some lists are denied and the rest fail otherwise', async () => {
    deny(/\/(nodes|pods)$/);
    api.server.setFault({
      path: /\/(deployments|statefulsets|daemonsets)$/,
      fault: { type: 'status', code: 500 },
    });

    const run = await cli('check', '--kubeconfig', api.kubeconfig);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'cannot list nodes at cluster scope and pods in namespace kube-system: grant list on nodes, pods (API group core)',
    );
    for (const list of ['deployments', 'statefulsets', 'daemonsets'])
      expect(run.stderr).toContain(`GET /apis/apps/v1/${list}: the API server answered 500`);
  });

  it('marks pods missing, not ReplicaSets, when only the pods of unhealthy workloads are denied', async () => {
    api.server.setObjects(DEMO_OBJECTS);
    deny(/\/namespaces\/shop\/pods$/);

    const run = await cli('check', '--kubeconfig', api.kubeconfig, '--output', 'json');

    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(
        /^skewguard: warning: kubernetes answered, but a read failed \(forbidden\): cannot list pods in namespace shop: grant list on pods .*PodCrashLooping/,
      ),
    ]);
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report.coverage).toContainEqual(
      expect.objectContaining({
        ruleId: 'PodCrashLooping',
        status: 'skipped',
        reason: expect.stringContaining(
          'reading the pods of unhealthy workloads failed',
        ) as unknown,
      }),
    );
    expect(report.coverage.map((c) => ('reason' in c ? c.reason : ''))).not.toContainEqual(
      expect.stringContaining('ReplicaSets of unhealthy workloads'),
    );
  });

  it('warns on stderr when only ReplicaSets are denied: rollout causes lose the new ReplicaSet', async () => {
    api.server.setObjects(DEMO_OBJECTS);
    deny(/\/replicasets$/);

    const run = await cli('check', '--kubeconfig', api.kubeconfig, '--output', 'json');

    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(
        /^skewguard: warning: kubernetes answered, but a read failed \(forbidden\): cannot list replicasets in namespace (kube-system|shop): grant list on replicasets \(API group apps\) — see deploy\/rbac\/skewguard-reader\.yaml .*\. Not collected: replicasets; rollout findings cannot name the new ReplicaSet or revision, nor tell new pods from old ones$/,
      ),
    ]);
    // No rule is skipped for it: the run still exits by its findings (the demo's rollouts are stuck).
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(
      report.coverage.filter((c) => c.status === 'skipped').map((c) => c.reason),
    ).not.toContainEqual(expect.stringContaining('replicasets'));
    expect(run.code).toBe(exitFor(report));
    expect(run.code).toBe(1);
  });
});

describe('--save-snapshot', () => {
  // /dev/full passes every check (a writable file in an existing folder) and fails the write.
  (existsSync('/dev/full') ? it : it.skip)(
    'prints the report, then the write error, and exits 2 when the final write fails',
    async () => {
      const run = await cli(
        'check',
        '--kubeconfig',
        api.kubeconfig,
        '--save-snapshot',
        '/dev/full',
        '--output',
        'json',
      );

      expect((JSON.parse(run.stdout) as CheckReport).findings).not.toEqual([]);
      expect(run.stderr).toBe(
        'skewguard: --save-snapshot could not write /dev/full (ENOSPC: no space left on the device); the report was printed all the same; to keep a snapshot, run again with a path you can write to\n',
      );
      expect(run.code).toBe(2);
    },
  );

  it('fails before any request when the folder does not exist', async () => {
    const run = await cli(
      'check',
      '--kubeconfig',
      api.kubeconfig,
      '--save-snapshot',
      '/nonexistent/dir/snap.json',
    );

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--save-snapshot /nonexistent/dir/snap.json: the folder /nonexistent/dir does not exist',
    );
    expect(api.server.requests).toEqual([]);
  });
});

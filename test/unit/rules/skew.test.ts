import { withKubectl } from '../../../lib/collect/kubectl';
import { DEFAULT_POLICY, evaluate } from '../../../lib/rules';
import type { ClusterSpec } from '../../support/kube-objects';
import { clusterDocuments } from '../../support/kube-objects';
import { evaluateSpec, findingsOf, NOW, snapshotOf } from '../../support/evaluate';

const api = (tag: string) => ({ serverVersion: tag });

describe('KubeletVersionSkew', () => {
  it.each([
    // [apiserver, kubelet, fires, problem]
    ['v1.30.2', 'v1.31.0', true, 'newerThanApiserver'], // A_min + 1
    ['v1.30.2', 'v1.30.0', false, undefined],
    ['v1.30.2', 'v1.27.9', false, undefined], // A_max − 3 with a ≥1.25 kubelet
    ['v1.30.2', 'v1.26.15-eks-59bf375', true, 'tooOld'], // A_max − 4
    ['v1.26.1', 'v1.24.17', false, undefined], // A_max − 2 with a 1.24 kubelet
    ['v1.27.1', 'v1.24.17', true, 'tooOld'], // A_max − 3 with a 1.24 kubelet: old window of 2
  ])('apiserver %s, kubelet %s → fires %s', (apiserver, kubelet, fires, problem) => {
    const findings = findingsOf(
      evaluateSpec({ ...api(apiserver), kubelets: { 'node-a': kubelet } }),
      'KubeletVersionSkew',
    );
    expect(findings).toHaveLength(fires ? 1 : 0);
    if (fires)
      expect(findings[0]).toMatchObject({
        severity: 'critical',
        details: { problem, nodes: ['node-a'] },
      });
  });

  it('compares with the oldest apiserver for "newer" and the newest for "older" in HA', () => {
    const ev = evaluateSpec({
      apiservers: { cp1: 'v1.29.4', cp2: 'v1.30.2' },
      kubelets: { new: 'v1.30.2', old: 'v1.26.9' },
    });
    const findings = findingsOf(ev, 'KubeletVersionSkew');
    expect(findings.map((f) => f.details['problem']).sort()).toEqual([
      'newerThanApiserver',
      'tooOld',
    ]);
  });

  it('groups nodes per minor, lists them and names the node group to upgrade', () => {
    const ev = evaluateSpec({
      ...api('v1.30.4-eks-a737599'),
      kubelets: {
        a: 'v1.26.15-eks-59bf375',
        b: 'v1.26.15-eks-59bf375',
        c: 'v1.26.12-eks-5e0fdde',
        d: 'v1.29.8',
      },
      nodeGroups: { a: 'ng-old', b: 'ng-old', c: 'ng-old', d: 'ng-new' },
    });
    const [finding, ...rest] = findingsOf(ev, 'KubeletVersionSkew');
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({
      subject: { kind: 'Kubelet', name: 'v1.26' },
      details: {
        nodes: ['a', 'b', 'c'],
        nodeCount: 3,
        nodeGroups: ['ng-old'],
        minorsBehind: 4,
        allowedMinorsBehind: 3,
        upgradeToAtLeast: '1.27',
      },
    });
    expect(finding?.summary).toBe(
      '3 nodes run kubelet 1.26, 4 minors behind kube-apiserver 1.30; the policy allows 3. Upgrade node group ng-old to at least 1.27 (1.30 matches the control plane).',
    );
  });
});

describe('ApiServerVersionSkew', () => {
  it.each([
    [{ cp1: 'v1.30.1', cp2: 'v1.30.2' }, undefined, undefined],
    [{ cp1: 'v1.29.4', cp2: 'v1.30.2' }, 'warning', 3600],
    [{ cp1: 'v1.28.4', cp2: 'v1.30.2', cp3: 'v1.30.2' }, 'critical', 0],
  ])('apiservers %j → %s', (apiservers, severity, forSeconds) => {
    const findings = findingsOf(
      evaluateSpec({ apiservers, kubelets: { n: 'v1.28.0' } }),
      'ApiServerVersionSkew',
    );
    if (!severity) {
      expect(findings).toHaveLength(0);
      return;
    }
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity, forSeconds, subject: { kind: 'KubeAPIServer' } });
  });
});

describe('ControlPlaneVersionSkew', () => {
  it.each([
    ['v1.30.2', 'v1.31.0', true, 'newerThanApiserver'],
    ['v1.30.2', 'v1.30.0', false, undefined],
    ['v1.30.2', 'v1.29.5', false, undefined],
    ['v1.30.2', 'v1.28.5', true, 'tooOld'],
  ])('apiserver %s, controller-manager %s → fires %s', (apiserver, cm, fires, problem) => {
    const findings = findingsOf(
      evaluateSpec({
        apiservers: { cp1: apiserver },
        controllerManagers: { cp1: cm },
        schedulers: { cp1: apiserver },
        kubelets: { n: 'v1.30.0' },
      }),
      'ControlPlaneVersionSkew',
    );
    expect(findings).toHaveLength(fires ? 1 : 0);
    if (fires)
      expect(findings[0]).toMatchObject({
        subject: { kind: 'KubeControllerManager' },
        details: { problem, instances: ['kube-controller-manager-cp1'] },
      });
  });

  it.each<[[string, string], string, string, string | undefined, string | undefined]>([
    // HA: [apiservers, controller-manager, scheduler (both on cp1 and cp2), firing subject, problem]
    [
      ['v1.29.4', 'v1.30.2'],
      'v1.30.2',
      'v1.29.4',
      'KubeControllerManager v1.30',
      'newerThanApiserver',
    ], // C > A_min
    [['v1.29.4', 'v1.30.2'], 'v1.29.4', 'v1.29.4', undefined, undefined], // C = A_min, A_max − C = 1
    [['v1.30.2', 'v1.30.1'], 'v1.30.2', 'v1.28.9', 'KubeScheduler v1.28', 'tooOld'], // A_max − C = 2
  ])(
    'apiservers %j, controller-manager %s, scheduler %s → fires %s',
    ([cp1, cp2], controllerManager, scheduler, subject, problem) => {
      const ev = evaluateSpec({
        apiservers: { cp1, cp2 },
        controllerManagers: { cp1: controllerManager, cp2: controllerManager },
        schedulers: { cp1: scheduler, cp2: scheduler },
        kubelets: { n: 'v1.29.0' },
      });
      // Quiet must mean checked and in policy, not skipped.
      expect(ev.coverage.find((c) => c.ruleId === 'ControlPlaneVersionSkew')).toEqual({
        ruleId: 'ControlPlaneVersionSkew',
        status: 'evaluated',
      });
      const findings = findingsOf(ev, 'ControlPlaneVersionSkew');
      expect(findings.map((f) => `${f.subject.kind} ${f.subject.name}`)).toEqual(
        subject ? [subject] : [],
      );
      if (subject) {
        const component = subject.startsWith('KubeScheduler')
          ? 'kube-scheduler'
          : 'kube-controller-manager';
        expect(findings[0]).toMatchObject({
          severity: 'critical',
          details: { problem, instances: [`${component}-cp1`, `${component}-cp2`] },
        });
      }
    },
  );

  it('is skipped, not passed, on EKS where the controllers are not observable', () => {
    const ev = evaluateSpec({
      ...api('v1.30.4-eks-a737599'),
      kubelets: { n: 'v1.30.0' },
      kubeProxies: { n: 'v1.30.0' },
    });
    expect(ev.coverage.find((c) => c.ruleId === 'ControlPlaneVersionSkew')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('EKS'),
    });
  });
});

describe('KubeProxyVersionSkew', () => {
  it.each([
    // apiserver 1.30; kube-proxy vs the kubelet on its node
    ['v1.27.3', 'v1.30.1', false, []], // 3 apart: allowed
    ['v1.26.3', 'v1.30.1', true, ['tooFarFromKubelet']], // 4 apart
    ['v1.30.1', 'v1.27.3', false, []], // proxy 3 behind apiserver and kubelet
    ['v1.30.1', 'v1.26.3', true, ['tooOld', 'tooFarFromKubelet']],
    ['v1.30.1', 'v1.31.0', true, ['newerThanApiserver']],
  ])('kubelet %s, kube-proxy %s → fires %s', (kubelet, proxy, fires, problems) => {
    const findings = findingsOf(
      evaluateSpec({ ...api('v1.30.2'), kubelets: { n: kubelet }, kubeProxies: { n: proxy } }),
      'KubeProxyVersionSkew',
    );
    expect(findings).toHaveLength(fires ? 1 : 0);
    if (fires) expect(findings[0]?.details['problems']).toEqual(problems);
  });

  it.each([
    // [kubelet, kube-proxy, kubelets to upgrade]: apiserver 1.30
    ['v1.30.1', 'v1.26.0', []], // kubelet current: setting kube-proxy to 1.30 is the whole fix
    ['v1.26.3', 'v1.30.1', ['n']], // kubelet itself 4 behind: upgrade it
    ['v1.27.3', 'v1.31.0', []], // kube-proxy too new; the 1.27 kubelet is within policy
    ['v1.26.3', 'v1.26.0', ['n']], // both 4 behind, close to each other: the kubelet still lags
  ])('kubelet %s, kube-proxy %s: upgrade the kubelets on %j', (kubelet, proxy, upgrade) => {
    const [finding] = findingsOf(
      evaluateSpec({ ...api('v1.30.2'), kubelets: { n: kubelet }, kubeProxies: { n: proxy } }),
      'KubeProxyVersionSkew',
    );
    expect(finding?.details['kubeletsToUpgrade']).toEqual(upgrade);
    expect(/upgrade the kubelets/i.test(finding?.summary ?? '')).toBe(upgrade.length > 0);
    // Never ask to set kube-proxy to the minor it already runs (1.30, the control plane's).
    expect(finding?.summary.includes('Set the kube-proxy')).toBe(!proxy.startsWith('v1.30.'));
  });

  it('lists three of the places the versions were read and counts the rest', () => {
    const kubelets = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [n, 'v1.26.3']));
    const [finding] = findingsOf(
      evaluateSpec({ ...api('v1.30.2'), kubelets }),
      'KubeletVersionSkew',
    );
    expect(finding?.details).toMatchObject({
      nodeCount: 5,
      sources: [
        'node a status.nodeInfo.kubeletVersion',
        'node b status.nodeInfo.kubeletVersion',
        'node c status.nodeInfo.kubeletVersion',
      ],
      sourcesNotListed: 2,
    });
  });

  it('reads the version from the kube-proxy pod image, never from nodeInfo.kubeProxyVersion', () => {
    // The node factory copies the kubelet version into the deprecated kubeProxyVersion field.
    const findings = findingsOf(
      evaluateSpec({
        ...api('v1.30.2'),
        kubelets: { n: 'v1.30.1' },
        kubeProxies: { n: 'v1.26.0' },
      }),
      'KubeProxyVersionSkew',
    );
    expect(findings[0]?.details['rawVersions']).toEqual(['registry.k8s.io/kube-proxy:v1.26.0']);
  });
});

describe('KubectlVersionSkew', () => {
  it.each([
    // [apiserver, kubectl, fires, problem]
    ['v1.31.2', 'v1.30.0', false, undefined], // one older
    ['v1.31.2', 'v1.32.1', false, undefined], // one newer
    ['v1.31.2', 'v1.29.9', true, 'olderThanApiserver'],
    ['v1.31.2', 'v1.33.0', true, 'newerThanApiserver'],
    ['v1.30.4-eks-a737599', 'v1.31.2-eks-1552ad0', false, undefined], // vendor builds parse
  ])('apiserver %s, kubectl %s → fires %s', (apiserver, kubectl, fires, problem) => {
    const findings = findingsOf(
      evaluateSpec({
        serverVersion: apiserver,
        kubectlVersion: kubectl,
        kubelets: { a: apiserver },
      }),
      'KubectlVersionSkew',
    );
    expect(findings).toHaveLength(fires ? 1 : 0);
    if (fires) expect(findings[0]).toMatchObject({ severity: 'warning', details: { problem } });
  });

  /** HA apiservers from static pods (no version output), with the given kubectl. */
  const ha = (apiservers: ClusterSpec['apiservers'], kubectl: string) =>
    findingsOf(
      evaluate(
        withKubectl(snapshotOf(clusterDocuments({ apiservers, kubelets: { w1: 'v1.30.2' } })), {
          state: 'collected',
          version: { raw: kubectl, source: 'test' },
        }),
        DEFAULT_POLICY,
        NOW,
      ),
      'KubectlVersionSkew',
    );

  it('with HA apiservers at 1.30 and 1.31 only kubectl 1.30–1.31 is within one minor of every one', () => {
    const apiservers = { cp1: 'v1.30.2', cp2: 'v1.31.1' };
    expect(ha(apiservers, 'v1.30.5')).toEqual([]);
    expect(ha(apiservers, 'v1.31.0')).toEqual([]);
    expect(ha(apiservers, 'v1.32.0').map((f) => f.summary)).toEqual([
      'kubectl 1.32 is 2 minors ahead of kube-apiserver 1.30 (the kube-apiserver instances run 1.30–1.31); the policy allows one from every kube-apiserver. Install kubectl 1.30–1.31.',
    ]);
    expect(ha(apiservers, 'v1.29.5')[0]).toMatchObject({
      subject: { kind: 'Kubectl', name: 'v1.29' },
      details: { minorsApart: 2, allowedKubectl: ['1.30', '1.31'] },
    });
  });

  it('apiservers two apart leave only the kubectl between them', () => {
    expect(ha({ cp1: 'v1.29.2', cp2: 'v1.31.1' }, 'v1.27.1')[0]?.summary).toMatch(
      /the policy allows one from every kube-apiserver\. Install kubectl 1\.30\.$/,
    );
  });

  it('apiservers three minors apart leave no kubectl to install: the fix is the control plane', () => {
    const [finding] = ha({ cp1: 'v1.28.2', cp2: 'v1.31.1' }, 'v1.27.1');
    expect(finding?.summary).toContain(
      'No kubectl is within one minor of every kube-apiserver while they are 3 minors apart; finish the control-plane upgrade to 1.31 (see ApiServerVersionSkew), then install kubectl 1.30–1.31.',
    );
    expect(finding?.details).toMatchObject({ allowedKubectl: [], advisedKubectl: [] });
  });

  it('an unparseable kubectl version is skipped with the version and the fix, never passed', () => {
    const result = evaluate(
      withKubectl(snapshotOf(clusterDocuments({ serverVersion: 'v1.31.2', kubelets: {} })), {
        state: 'collected',
        version: { raw: 'dev', source: 'test' },
      }),
      DEFAULT_POLICY,
      NOW,
    );
    expect(result.coverage.find((c) => c.ruleId === 'KubectlVersionSkew')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('kubectl reports version "dev" (test)') as unknown,
    });
  });
});

describe('NextUpgradeBlocked', () => {
  it('names the node components and controllers that block the next minor', () => {
    const ev = evaluateSpec({
      apiservers: { cp1: 'v1.30.2' },
      controllerManagers: { cp1: 'v1.29.5' },
      schedulers: { cp1: 'v1.30.2' },
      kubelets: { a: 'v1.27.4', b: 'v1.30.1' },
      kubeProxies: { a: 'v1.27.4', b: 'v1.30.1' },
    });
    const [finding] = findingsOf(ev, 'NextUpgradeBlocked');
    expect(finding).toMatchObject({ severity: 'warning', subject: { name: 'v1.31' } });
    const blockers = finding?.details['blockers'] as { component: string; minor: string }[];
    expect(blockers.map((b) => `${b.component} ${b.minor}`).sort()).toEqual([
      'kube-controller-manager 1.29',
      'kube-proxy 1.27',
      'kubelet 1.27',
    ]);
  });

  it('is quiet when every component can follow the control plane', () => {
    const ev = evaluateSpec({
      ...api('v1.30.2'),
      kubelets: { a: 'v1.28.4' },
      kubeProxies: { a: 'v1.28.4' },
    });
    expect(findingsOf(ev, 'NextUpgradeBlocked')).toHaveLength(0);
  });

  it('uses the old window for a 1.24 kubelet', () => {
    // 1.26 → 1.27: a 1.24 kubelet would be 3 behind, its window is 2.
    const ev = evaluateSpec({ ...api('v1.26.2'), kubelets: { a: 'v1.24.4' } });
    expect(findingsOf(ev, 'NextUpgradeBlocked')).toHaveLength(1);
  });
});

describe('ComponentVersionMismatch', () => {
  it.each([
    [{ a: 'v1.30.1', b: 'v1.30.1' }, 'v1.30.1', undefined],
    [{ a: 'v1.30.1', b: 'v1.30.3' }, 'v1.30.1', 'info'],
    [{ a: 'v1.29.1', b: 'v1.30.3' }, 'v1.30.3', 'warning'],
  ])('kubelets %j with apiserver %s → %s', (kubelets, server, severity) => {
    const findings = findingsOf(
      evaluateSpec({ ...api(server), kubelets }),
      'ComponentVersionMismatch',
    );
    expect(findings.map((f) => f.severity)).toEqual(severity ? [severity] : []);
    if (severity === 'warning') expect(findings[0]?.forSeconds).toBe(24 * 3600);
  });
});

describe('EtcdVersionMismatch', () => {
  it.each([
    [{ cp1: '3.5.12-0', cp2: '3.5.12-0' }, 0],
    [{ cp1: '3.5.12-0', cp2: '3.5.15-0', cp3: '3.5.15-0' }, 1],
  ])('etcd %j → %i findings', (etcd, count) => {
    const ev = evaluateSpec({ apiservers: { cp1: 'v1.30.2' }, etcd, kubelets: { cp1: 'v1.30.2' } });
    const findings = findingsOf(ev, 'EtcdVersionMismatch');
    expect(findings).toHaveLength(count);
    if (count)
      expect(findings[0]?.details['membersByVersion']).toEqual({
        '3.5.12': ['etcd-cp1'],
        '3.5.15': ['etcd-cp2', 'etcd-cp3'],
      });
  });
});

describe('VersionUnparseable', () => {
  it('reports an unreadable kubelet version and keeps it out of the skew rules', () => {
    const ev = evaluateSpec({
      ...api('v1.30.2'),
      kubelets: { a: 'v1.30.1', weird: 'custom-build' },
    });
    expect(findingsOf(ev, 'VersionUnparseable')).toMatchObject([
      {
        severity: 'info',
        details: { component: 'kubelet', raw: 'custom-build', owners: ['weird'] },
      },
    ]);
    expect(findingsOf(ev, 'KubeletVersionSkew')).toHaveLength(0);
  });

  it('skips the apiserver-relative rules when no apiserver version parses', () => {
    const ev = evaluateSpec({ serverVersion: 'v-unknown', kubelets: { a: 'v1.30.1' } });
    expect(ev.coverage.find((c) => c.ruleId === 'KubeletVersionSkew')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('kube-apiserver'),
    });
    expect(findingsOf(ev, 'VersionUnparseable')[0]?.details['component']).toBe('kube-apiserver');
  });
});

describe('kubelet and kube-proxy skew dated from the version history', () => {
  const withHistory = (spec: ClusterSpec, history: Record<string, unknown>) => ({
    ...snapshotOf(clusterDocuments(spec)),
    versionHistory: history,
  });
  const AT = {
    apiserver130: '2026-11-21T08:00:00.000Z',
    minor126: '2026-11-20T00:00:00.000Z',
    minor131: '2026-11-21T11:25:00.000Z',
  };

  it('dates a kubelet skew from the later of the two minors that make it', () => {
    const snapshot = withHistory(
      { ...api('v1.30.2'), kubelets: { old: 'v1.26.3', canary: 'v1.31.0' } },
      {
        apiserverMinors: { '1.30': AT.apiserver130 },
        componentMinors: { '1.30': AT.apiserver130, '1.26': AT.minor126, '1.31': AT.minor131 },
      },
    );
    const findings = findingsOf(evaluate(snapshot, DEFAULT_POLICY, NOW), 'KubeletVersionSkew');
    expect(findings.map((f) => [f.details['problem'], f.since])).toEqual([
      ['tooOld', AT.apiserver130],
      ['newerThanApiserver', AT.minor131],
    ]);
  });

  it('leaves the skew undated when either minor has no unbroken run in the window', () => {
    const snapshot = withHistory(
      { ...api('v1.30.2'), kubelets: { old: 'v1.26.3' }, kubeProxies: { old: 'v1.26.0' } },
      { apiserverMinors: { '1.30': AT.apiserver130 }, componentMinors: {} },
    );
    const evaluation = evaluate(snapshot, DEFAULT_POLICY, NOW);
    for (const id of ['KubeletVersionSkew', 'KubeProxyVersionSkew'])
      expect(findingsOf(evaluation, id).map((f) => f.since)).toEqual([undefined]);
  });

  it('dates a kube-proxy skew from its earliest dated problem', () => {
    const snapshot = withHistory(
      { ...api('v1.30.2'), kubelets: { n: 'v1.30.1' }, kubeProxies: { n: 'v1.26.0' } },
      {
        apiserverMinors: { '1.30': AT.apiserver130 },
        componentMinors: { '1.30': AT.apiserver130, '1.26': AT.minor126 },
      },
    );
    const [finding] = findingsOf(evaluate(snapshot, DEFAULT_POLICY, NOW), 'KubeProxyVersionSkew');
    expect(finding?.details['problems']).toEqual(['tooOld', 'tooFarFromKubelet']);
    expect(finding?.since).toBe(AT.apiserver130);
  });
});

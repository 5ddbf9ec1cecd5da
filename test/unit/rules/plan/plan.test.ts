/** The upgrade planner on the demo cluster, an HA control plane mid-upgrade, refused targets, and random clusters. */
import { collectFromFiles } from '../../../../lib/collect/files';
import type { ClusterSnapshot, PlanStep, UpgradePlan } from '../../../../lib/rules';
import { parseTargetMinor, planUpgrade } from '../../../../lib/rules';
import { nodeComponentWindow } from '../../../../lib/rules/skew-policy';
import { snapshotOf } from '../../../support/evaluate';
import { clusterDocuments } from '../../../support/kube-objects';

const NOW = Date.parse('2026-12-07T00:00:00Z');

function planned(snapshot: ClusterSnapshot, to?: number): UpgradePlan {
  const result = planUpgrade(snapshot, { ...(to !== undefined ? { to } : {}), now: NOW });
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
}

const stepLine = (s: PlanStep) => `${s.component} ${s.targets.join(',')} ${s.from}→${s.to}`;

describe('the demo cluster to 1.33', () => {
  let plan: UpgradePlan;
  beforeAll(async () => {
    const snapshot = await collectFromFiles(['examples/demo-cluster'], {
      cluster: 'demo-eks',
      collectedAt: new Date(NOW).toISOString(),
    });
    plan = planned(snapshot, 33);
  });

  it('takes three hops, one minor each, with EKS commands', () => {
    expect(plan.platform).toBe('eks');
    expect(plan.hops.map((h) => `${h.from}→${h.to}`)).toEqual([
      '1.30→1.31',
      '1.31→1.32',
      '1.32→1.33',
    ]);
    expect(plan.hops[0]!.steps.find((s) => s.component === 'kube-apiserver')?.commands).toEqual([
      'aws eks update-cluster-version --name demo-eks --kubernetes-version 1.31',
      'aws eks wait cluster-active --name demo-eks',
    ]);
  });

  it('blocks the first hop on node group ng-old (1.26) and moves kube-proxy before it, after the kubelets', () => {
    const [first] = plan.hops;
    expect(first!.blockers.map((b) => b.what)).toEqual([
      'kubelet 1.26 on node group ng-old (4 nodes) would be 5 minors behind 1.31; the policy allows 3',
      'kube-proxy 1.27 (7 nodes) would be 4 minors behind 1.31; the policy allows 3',
    ]);
    expect(first!.steps.map(stepLine)).toEqual([
      'kubelet ng-old 1.26→1.30',
      'kube-proxy kube-proxy 1.27→1.30',
      'kube-apiserver control plane 1.30→1.31',
    ]);
  });

  it('says which node groups may wait and until when, and lands everything on 1.33 in the last hop', () => {
    expect(plan.hops[1]!.deferred).toContainEqual({
      component: 'kubelet',
      targets: ['ng-old'],
      minor: '1.30',
      until: '1.33',
    });
    const last = plan.hops[2]!;
    // A group too old for 1.33 first moves to 1.32 (never ahead of the control plane), then on.
    const finalMinor = new Map<string, string>();
    for (const s of last.steps.filter((x) => x.component === 'kubelet'))
      for (const t of s.targets) finalMinor.set(t, s.to);
    expect([...finalMinor.values()].every((m) => m === '1.33')).toBe(true);
    expect(finalMinor.size).toBeGreaterThan(0);
    expect(last.steps.at(-1)).toMatchObject({ component: 'kubectl', to: '1.33' });
    expect(last.landing.support).toMatch(/^1\.33 /);
  });
});

describe('a kubeadm HA control plane mid-upgrade', () => {
  const snapshot = snapshotOf(
    clusterDocuments({
      apiservers: { 'cp-1': 'v1.35.2', 'cp-2': 'v1.34.6', 'cp-3': 'v1.34.6' },
      controllerManagers: { 'cp-1': 'v1.34.6', 'cp-2': 'v1.34.6', 'cp-3': 'v1.34.6' },
      schedulers: { 'cp-1': 'v1.34.6', 'cp-2': 'v1.34.6', 'cp-3': 'v1.34.6' },
      etcd: { 'cp-1': '3.5.21-0', 'cp-2': '3.5.21-0', 'cp-3': '3.5.21-0' },
      kubelets: { 'cp-1': 'v1.34.6', 'w-1': 'v1.34.6' },
    }),
  );

  it('finishes the apiservers first, then clears the controllers before the next hop', () => {
    const plan = planned(snapshot, 36);
    expect(plan.platform).toBe('kubeadm');
    expect(plan.finishFirst.map(stepLine)).toEqual([
      'kube-apiserver kube-apiserver-cp-2,kube-apiserver-cp-3 1.34→1.35',
    ]);
    const [hop] = plan.hops;
    expect(hop!.from).toBe('1.35');
    expect(hop!.blockers.map((b) => b.kind)).toContain('controlPlane');
    expect(hop!.steps[0]!.component).toBe('control-plane');
  });

  it('asks for etcd 3.6 before a minor built with it', () => {
    const plan = planned(snapshot, 36);
    // 1.36 is built with etcd 3.6: members on 3.5 move first.
    expect(plan.hops[0]!.blockers.filter((b) => b.kind === 'etcd').map((b) => b.fix)).toEqual([
      'upgrade etcd to 3.6.9-0, one member at a time',
    ]);
  });
});

describe('refused targets', () => {
  const snapshot = snapshotOf(
    clusterDocuments({ serverVersion: 'v1.33.4', kubelets: { a: 'v1.33.4' } }),
  );

  it('refuses a target below the current minor', () => {
    expect(planUpgrade(snapshot, { to: 31, now: NOW })).toEqual({
      ok: false,
      reason:
        "the target 1.31 is below the cluster's kube-apiserver 1.33: Kubernetes does not support downgrades; plan to 1.34 or newer",
    });
  });

  it('refuses a target beyond what the data knows, rather than guessing', () => {
    expect(planUpgrade(snapshot, { to: 45, now: NOW })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /^1\.45 is newer than any minor skewguard's data knows \(up to 1\.\d+\)/,
      ),
    });
  });

  it('reads 1.34, v1.34 and 34 as the same target', () => {
    expect(['1.34', 'v1.34', '34'].map(parseTargetMinor)).toEqual([34, 34, 34]);
    expect(parseTargetMinor('1.x')).toBeUndefined();
  });
});

/** Deterministic pseudo-random numbers for the property test. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

interface State {
  apiservers: number[];
  kubelets: Map<string, number>;
  proxies: number[];
}

/** Every state the policy allows: apiservers within one minor, node components within the window. */
function violations(state: State): string[] {
  const aMin = Math.min(...state.apiservers);
  const aMax = Math.max(...state.apiservers);
  const out: string[] = [];
  if (aMax - aMin > 1) out.push(`apiservers ${aMin}..${aMax}`);
  for (const [group, k] of state.kubelets) {
    if (k > aMin) out.push(`kubelet ${group} ${k} newer than apiserver ${aMin}`);
    if (aMax - k > nodeComponentWindow(k)) out.push(`kubelet ${group} ${k} too old for ${aMax}`);
  }
  for (const p of state.proxies) {
    if (p > aMin) out.push(`kube-proxy ${p} newer than apiserver ${aMin}`);
    if (aMax - p > nodeComponentWindow(p)) out.push(`kube-proxy ${p} too old for ${aMax}`);
    for (const [group, k] of state.kubelets)
      if (Math.abs(p - k) > nodeComponentWindow(p))
        out.push(`kube-proxy ${p} vs kubelet ${group} ${k}`);
  }
  return out;
}

describe('the plan never proposes a state the skew policy forbids', () => {
  it('holds at every step for 300 random valid clusters and targets', () => {
    const next = random(7);
    const pick = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
    for (let i = 0; i < 300; i++) {
      const a = pick(28, 34);
      const groups = pick(1, 3);
      const kubelets: Record<string, string> = {};
      const nodeGroups: Record<string, string> = {};
      const minors: number[] = [];
      for (let g = 0; g < groups; g++) {
        const k = a - pick(0, 3);
        minors.push(k);
        kubelets[`n-${g}`] = `v1.${k}.1`;
        nodeGroups[`n-${g}`] = `ng-${g}`;
      }
      // kube-proxy on the oldest kubelet's minor, as an add-on moved with the nodes.
      const proxy = Math.min(...minors);
      const kubeProxies = Object.fromEntries(
        Object.keys(kubelets).map((n) => [n, `v1.${proxy}.0`]),
      );
      const snapshot = snapshotOf(
        clusterDocuments({ serverVersion: `v1.${a}.2`, kubelets, nodeGroups, kubeProxies }),
      );
      // EKS-labelled nodes: the EKS calendar, which knows minors up to 1.35.
      const target = pick(a, 35);
      const plan = planned(snapshot, target);
      const state: State = {
        apiservers: [a],
        kubelets: new Map(minors.map((minor, g) => [`ng-${g}`, minor])),
        proxies: [proxy],
      };
      expect(violations(state)).toEqual([]);
      for (const hop of plan.hops) {
        for (const step of hop.steps) {
          const to = Number(step.to.split('.')[1]);
          if (step.component === 'kube-apiserver') state.apiservers = [to];
          if (step.component === 'kubelet') for (const t of step.targets) state.kubelets.set(t, to);
          if (step.component === 'kube-proxy') state.proxies = [to];
          const problems = violations(state);
          if (problems.length > 0)
            throw new Error(
              `cluster ${i} (1.${a} → 1.${target}) after "${step.action}": ${problems.join('; ')}`,
            );
        }
      }
      expect(state.apiservers).toEqual([target]);
    }
  });
});

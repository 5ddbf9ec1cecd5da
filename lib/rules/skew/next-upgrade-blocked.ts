import { defineRule, skip } from '../rule';
import { nodeComponentWindow } from '../skew-policy';
import { groupBy, listNames, plural } from '../text';
import type { ParsedNodeComponent } from './inventory';
import { apiserverBoundsMissing, inventory } from './inventory';
import { oldestAllowedMinor, whereToAct } from './node-component';

/** One thing that stands in the way of the next control-plane minor upgrade. */
interface Blocker {
  readonly component: string;
  readonly minor: string;
  readonly count: number;
  readonly reason: string;
  readonly action: string;
  readonly nodes?: readonly string[];
  readonly instances?: readonly string[];
}

/** The control plane can move to the next minor without putting any node component or controller out of policy. */
export const NextUpgradeBlocked = defineRule({
  id: 'NextUpgradeBlocked',
  title: 'Next control-plane upgrade would break the skew policy',
  description:
    'Upgrading the control plane to the next minor keeps every kubelet and kube-proxy within policy, and controller-manager/scheduler already match the newest kube-apiserver.',
  category: 'skew',
  severity: 'warning',
  forSeconds: 0,
  needs: ['apiserver', 'nodes'],
  evaluate(snapshot) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMax === undefined) return skip(missing ?? '');
    const target = inv.aMax + 1;
    const blockers: Blocker[] = [
      ...nodeBlockers('kubelet', inv.kubelets, target),
      ...nodeBlockers('kube-proxy', inv.kubeProxies, target),
    ];
    const aMax = inv.aMax;
    for (const [key, members] of groupBy(
      inv.controllers.filter((c) => c.version.minor < aMax),
      (c) => `${c.component} 1.${c.version.minor}`,
    )) {
      const first = members[0];
      if (!first) continue;
      blockers.push({
        component: first.component,
        minor: `1.${first.version.minor}`,
        count: members.length,
        reason: `${key} is not yet at 1.${aMax}`,
        action: `upgrade ${first.component} to 1.${aMax}`,
        instances: members.map((m) => m.instance).sort(),
      });
    }
    if (blockers.length === 0) return [];
    const notObserved = (['controlPlane', 'kubeProxy'] as const).filter(
      (p) => snapshot.parts[p]?.state !== 'collected',
    );
    const what = blockers.map((b) => `${b.component} ${b.minor} (${b.reason})`);
    return [
      {
        subject: { kind: 'ControlPlaneUpgrade', name: `v1.${target}` },
        summary: `Upgrading the control plane to 1.${target} is blocked by ${listNames(what, 3)}. First ${listNames(
          blockers.map((b) => b.action),
          3,
        )}.`,
        details: {
          currentMinor: `1.${aMax}`,
          targetMinor: `1.${target}`,
          blockers,
          ...(notObserved.length > 0 ? { notChecked: notObserved } : {}),
        },
      },
    ];
  },
});

function nodeBlockers(
  component: string,
  members: readonly ParsedNodeComponent[],
  target: number,
): Blocker[] {
  const blockers: Blocker[] = [];
  for (const [minor, group] of groupBy(members, (m) => m.version.minor)) {
    const window = nodeComponentWindow(minor);
    const behind = target - minor;
    if (behind <= window) continue;
    const nodes = group.map((m) => m.node);
    blockers.push({
      component,
      minor: `1.${minor}`,
      count: nodes.length,
      reason: `${plural(nodes.length, 'node')}, would be ${behind} minors behind; the policy allows ${window}`,
      // kube-proxy is one DaemonSet (or add-on) for the whole cluster; kubelets go with their nodes.
      action:
        component === 'kube-proxy'
          ? `update the kube-proxy DaemonSet (add-on) to at least 1.${oldestAllowedMinor(target)}`
          : `upgrade kubelet on ${whereToAct(nodes)} to at least 1.${oldestAllowedMinor(target)}`,
      nodes: nodes.map((n) => n.name).sort(),
    });
  }
  return blockers;
}

/** NextUpgradeBlocked: nothing stands in the way of the next control-plane minor: skew, removed APIs still called, add-ons, node OSes, the target's support. */
import { NODE_OS_TABLE } from '../data/node-os';
import type { ClusterSnapshot } from '../model';
import { severityRank } from '../model';
import type { Blocker } from '../readiness/blockers';
import { readinessBlockers } from '../readiness/blockers';
import { defineRule, skip } from '../rule';
import { nodeComponentWindow } from '../skew-policy';
import { groupBy, plural } from '../text';
import type { ParsedNodeComponent, VersionInventory } from './inventory';
import { apiserverBoundsMissing, inventory } from './inventory';
import { oldestAllowedMinor, whereToAct } from './node-component';
import { countOf, countText, textOf, wasText } from '../last-finding';

/** Blockers shown in the summary; the rest are in `details.lines`. */
const SUMMARY_LINES = 5;

/** The control plane can move to the next minor without breaking policy, clients, add-ons or nodes. */
export const NextUpgradeBlocked = defineRule({
  id: 'NextUpgradeBlocked',
  title: 'Next control-plane upgrade is blocked',
  description:
    'Upgrading the control plane to the next minor keeps every kubelet and kube-proxy within policy, controller-manager/scheduler already match the newest kube-apiserver, no API it removes is still called, every EKS add-on and node OS has a build for it, and the platform offers it.',
  category: 'skew',
  severity: 'warning',
  forSeconds: 0,
  needs: ['apiserver', 'nodes'],
  // Node OS groups are read on every run; the support and API tables are noted by
  // VersionEndOfSupport and DeprecatedApiInUse, which run whenever their data is here.
  tables: [NODE_OS_TABLE],
  resolved: (last) => {
    const target = textOf(last, 'targetMinor') ?? last.subject.name.replace(/^v/, '');
    return `Nothing blocks the control-plane upgrade to ${target} any more${wasText([countText(countOf(last, 'blockers'), 'blocker')])}`;
  },
  // Which blockers, not their node counts, which move on every run while a node group rolls.
  materialKeys: [
    'targetMinor',
    'blockers.*.kind',
    'blockers.*.component',
    'blockers.*.minor',
    'blockers.*.severity',
  ],
  evaluate(snapshot, ctx) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMax === undefined) return skip(missing ?? '');
    const target = inv.aMax + 1;
    const aMax = inv.aMax;
    const { blockers, readiness } = nextUpgradeBlockers(snapshot, inv, aMax, ctx.now);
    if (blockers.length === 0) return [];
    const notObserved = (['controlPlane', 'kubeProxy'] as const).filter(
      (p) => snapshot.parts[p]?.state !== 'collected',
    );
    const lines = blockers.map((b) => `${b.component} ${lineReason(b)}: ${b.action}`);
    const shown = lines.slice(0, SUMMARY_LINES).map((l, i) => `(${i + 1}) ${l}`);
    const more = lines.length > SUMMARY_LINES ? `; and ${lines.length - SUMMARY_LINES} more` : '';
    return [
      {
        subject: { kind: 'ControlPlaneUpgrade', name: `v1.${target}` },
        summary: `Upgrading the control plane to 1.${target} is blocked by ${plural(blockers.length, 'thing')}, worst first: ${shown.join('; ')}${more}.`,
        details: {
          currentMinor: `1.${aMax}`,
          targetMinor: `1.${target}`,
          blockers,
          lines,
          ...(notObserved.length > 0 ? { notChecked: notObserved } : {}),
          ...(readiness.notChecked.length > 0 ? { readinessNotChecked: readiness.notChecked } : {}),
          ...(readiness.targetSupport ? { targetSupport: readiness.targetSupport } : {}),
        },
      },
    ];
  },
});

/**
 * What stands in the way of moving the control plane from 1.`aMax` to the next minor, worst first.
 * Exported so KubeletVersionSkew advises a control-plane upgrade only when this rule would not
 * call it blocked: the two findings must never contradict each other.
 */
export function nextUpgradeBlockers(
  snapshot: ClusterSnapshot,
  inv: VersionInventory,
  aMax: number,
  now: number,
): { blockers: Blocker[]; readiness: ReturnType<typeof readinessBlockers> } {
  const target = aMax + 1;
  const skew: Blocker[] = [
    ...nodeBlockers('kubelet', inv.kubelets, target),
    ...nodeBlockers('kube-proxy', inv.kubeProxies, target),
  ];
  for (const [key, members] of groupBy(
    inv.controllers.filter((c) => c.version.minor < aMax),
    (c) => `${c.component} 1.${c.version.minor}`,
  )) {
    const first = members[0];
    if (!first) continue;
    skew.push({
      kind: 'skew',
      severity: 'critical',
      component: first.component,
      minor: `1.${first.version.minor}`,
      count: members.length,
      reason: `${key} is not yet at 1.${aMax}`,
      action: `upgrade ${first.component} to 1.${aMax}`,
      instances: members.map((m) => m.instance).sort(),
    });
  }
  const readiness = readinessBlockers(snapshot, aMax, now);
  // Worst first; a stable sort keeps skew before the others of the same severity.
  const blockers = [...skew, ...readiness.blockers].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity),
  );
  return { blockers, readiness };
}

/** `1.27 (1 node, would be 4 minors behind; …)` for skew, `(reason)` for the others. */
function lineReason(b: Blocker): string {
  return b.kind === 'skew' ? `${b.minor} (${b.reason})` : `(${b.reason})`;
}

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
      kind: 'skew',
      severity: 'critical',
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

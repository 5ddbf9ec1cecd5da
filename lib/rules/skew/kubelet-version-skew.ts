/**
 * The KubeletVersionSkew rule: every kubelet no newer than the oldest kube-apiserver, and at most
 * 3 minors (2 below 1.25) behind the newest.
 */
import type { RuleFinding } from '../rule';
import { defineRule, partialResult, skip } from '../rule';
import { nodeComponentWindow } from '../skew-policy';
import { groupBy, plural } from '../text';
import { apiserverBoundsMissing, inventory } from './inventory';
import { nextUpgradeBlockers } from './next-upgrade-blocked';
import {
  howManyRun,
  nodeGroupDetails,
  oldestAllowedMinor,
  unjudgedNodes,
  whereToAct,
} from './node-component';
import { nodeSkewResolved } from './node-skew-resolved';
import { bothRanSince, earliestSince } from './history';

/** Every kubelet is no newer than the oldest kube-apiserver and within the policy's window behind the newest. */
export const KubeletVersionSkew = defineRule({
  id: 'KubeletVersionSkew',
  title: 'Kubelet outside the version skew policy',
  description:
    'Every kubelet is no newer than the oldest kube-apiserver and at most 3 minors (2 below 1.25) older than the newest.',
  category: 'skew',
  severity: 'critical',
  forSeconds: 0,
  // With a `for` configured, Prometheus' version history dates the skew (0 by default: fires at once).
  dates: 'versions',
  needs: ['apiserver', 'nodes'],
  resolved: (last) => nodeSkewResolved('kubelet', last),
  materialKeys: ['problem', 'apiserverMin', 'apiserverMax', 'nodeGroups'],
  evaluate(snapshot, ctx) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMin === undefined || inv.aMax === undefined)
      return skip(missing ?? '');
    const { aMin, aMax } = inv;
    const findings: RuleFinding[] = [];
    // Computed at most once, and only when a kubelet is newer than the apiservers.
    let blocked: readonly unknown[] | undefined;
    const blockers = (): readonly unknown[] =>
      (blocked ??= nextUpgradeBlockers(snapshot, inv, aMax, ctx.now).blockers);
    for (const [minor, members] of groupBy(inv.kubelets, (k) => k.version.minor)) {
      const window = nodeComponentWindow(minor);
      const behind = aMax - minor;
      const label = `1.${minor}`;
      const nodes = members.map((m) => m.node);
      const history = snapshot.versionHistory;
      // Since this minor and the apiserver minor it is measured against both ran.
      const since = (apiserver: number) =>
        earliestSince([
          bothRanSince(history?.componentMinors, label, history?.apiserverMinors, `1.${apiserver}`),
        ]);
      const common = {
        component: 'kubelet',
        minor: label,
        apiserverMin: `1.${aMin}`,
        apiserverMax: `1.${aMax}`,
        allowedMinorsBehind: window,
        minorsBehind: behind,
        ...nodeGroupDetails(members),
      };
      if (minor > aMin) {
        const replace = `replace ${whereToAct(nodes)} with 1.${aMin} nodes`;
        let fix: string;
        if (aMin < aMax && minor <= aMax) {
          // Apiservers on two minors: an HA upgrade is under way and finishing it fixes this.
          fix = `Finish upgrading every kube-apiserver to ${label} or ${replace}.`;
        } else if (blockers().length === 0) {
          const steps = minor - aMax > 1 ? ' one minor at a time' : '';
          fix = `Upgrade the control plane${steps} to ${label} or ${replace}.`;
        } else {
          // Same condition as NextUpgradeBlocked, so the two findings never disagree.
          fix = `The control plane cannot move to 1.${aMax + 1} yet (NextUpgradeBlocked: ${plural(blockers().length, 'blocker')}), so ${replace}.`;
        }
        findings.push({
          subject: { kind: 'Kubelet', name: `v${label}` },
          summary:
            `${howManyRun(nodes.length, 'kubelet', label)}, newer than the oldest kube-apiserver 1.${aMin}; ` +
            `a kubelet must never be newer than kube-apiserver. ${fix}`,
          details: { ...common, problem: 'newerThanApiserver' },
          ...since(aMin),
        });
      } else if (behind > window) {
        const target = oldestAllowedMinor(aMax);
        findings.push({
          subject: { kind: 'Kubelet', name: `v${label}` },
          summary:
            `${howManyRun(nodes.length, 'kubelet', label)}, ${behind} minors behind kube-apiserver 1.${aMax}; ` +
            `the policy allows ${window}. Upgrade ${whereToAct(nodes)} to at least 1.${target}` +
            `${target < aMin ? ` (1.${aMin} matches the control plane)` : ''}.`,
          details: { ...common, problem: 'tooOld', upgradeToAtLeast: `1.${target}` },
          ...since(aMax),
        });
      }
    }
    return partialResult(findings, unjudgedNodes(inv.unparseable, 'kubelet'));
  },
});

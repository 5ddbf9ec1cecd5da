/**
 * The KubeProxyVersionSkew rule: every kube-proxy no newer than the oldest kube-apiserver, at most
 * 3 minors (2 below 1.25) behind the newest, and within that window of its node's kubelet.
 */
import type { RuleFinding } from '../rule';
import { defineRule, partialResult, skip } from '../rule';
import { nodeComponentWindow } from '../skew-policy';
import { groupBy, listNames } from '../text';
import { apiserverBoundsMissing, inventory } from './inventory';
import type { NodeSkewProblem } from './node-component';
import {
  howManyRun,
  nodeGroupDetails,
  oldestAllowedMinor,
  unjudgedNodes,
  whereToAct,
} from './node-component';
import { bothRanSince, earliestSince } from './history';
import { nodeSkewResolved } from './node-skew-resolved';

/** Every kube-proxy is no newer than the oldest kube-apiserver, within the window behind the newest, and within the window of its node's kubelet. */
export const KubeProxyVersionSkew = defineRule({
  id: 'KubeProxyVersionSkew',
  title: 'kube-proxy outside the version skew policy',
  description:
    'Every kube-proxy is no newer than the oldest kube-apiserver, at most 3 minors (2 below 1.25) older than the newest, and within that window of the kubelet on its node.',
  category: 'skew',
  severity: 'critical',
  forSeconds: 0,
  // With a `for` configured, Prometheus' version history dates the skew (0 by default: fires at once).
  dates: 'versions',
  needs: ['apiserver', 'nodes', 'kubeProxy'],
  resolved: (last) => nodeSkewResolved('kube-proxy', last),
  materialKeys: ['problems', 'apiserverMin', 'apiserverMax', 'nodeGroups'],
  evaluate(snapshot) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMin === undefined || inv.aMax === undefined)
      return skip(missing ?? '');
    const { aMin, aMax } = inv;
    const kubeletByNode = new Map(inv.kubelets.map((k) => [k.node.name, k.version.minor]));
    const findings: RuleFinding[] = [];
    for (const [minor, members] of groupBy(inv.kubeProxies, (p) => p.version.minor)) {
      const window = nodeComponentWindow(minor);
      const label = `1.${minor}`;
      const problems: NodeSkewProblem[] = [];
      const sentences: string[] = [];
      // When each problem began: since this minor and the version it is measured against both ran.
      const history = snapshot.versionHistory;
      const starts: (string | undefined)[] = [];
      const ranWith = (key: 'apiserverMinors' | 'componentMinors', other: string) =>
        bothRanSince(history?.componentMinors, label, history?.[key], other);
      if (minor > aMin) {
        problems.push('newerThanApiserver');
        starts.push(ranWith('apiserverMinors', `1.${aMin}`));
        sentences.push(
          `newer than the oldest kube-apiserver 1.${aMin} (kube-proxy must never be newer)`,
        );
      }
      if (aMax - minor > window) {
        problems.push('tooOld');
        starts.push(ranWith('apiserverMinors', `1.${aMax}`));
        sentences.push(
          `${aMax - minor} minors behind kube-apiserver 1.${aMax}; the policy allows ${window}`,
        );
      }
      const farFromKubelet = members.filter((m) => {
        const kubelet = kubeletByNode.get(m.node.name);
        return kubelet !== undefined && Math.abs(kubelet - minor) > window;
      });
      if (farFromKubelet.length > 0) {
        problems.push('tooFarFromKubelet');
        const kubeletMinors = [
          ...new Set(farFromKubelet.map((m) => `1.${kubeletByNode.get(m.node.name) ?? '?'}`)),
        ];
        for (const kubeletMinor of kubeletMinors)
          starts.push(ranWith('componentMinors', kubeletMinor));
        sentences.push(
          `more than ${window} minors from the kubelet on ${farFromKubelet.length === members.length ? 'its node' : `${farFromKubelet.length} of these nodes`} (kubelet ${listNames(kubeletMinors)})`,
        );
      }
      if (problems.length === 0) continue;
      const nodes = members.map((m) => m.node);
      // A kubelet within its own policy is also within the window of a kube-proxy at 1.A_min, so
      // only kubelets that are themselves too old need an upgrade once kube-proxy is fixed —
      // whether or not they are far from today's kube-proxy (both may lag together).
      const oldKubelets = members.filter((m) => {
        const kubelet = kubeletByNode.get(m.node.name);
        return kubelet !== undefined && aMax - kubelet > nodeComponentWindow(kubelet);
      });
      const kubeletFix =
        oldKubelets.length > 0
          ? `upgrade the kubelets on ${whereToAct(oldKubelets.map((m) => m.node))} to at least 1.${oldestAllowedMinor(aMax)}`
          : undefined;
      // kube-proxy normally tracks the control plane (EKS add-on, kubeadm); 1.A_min is in policy for
      // every apiserver. When it already runs 1.A_min, only the kubelets can move.
      const proxyFix =
        minor === aMin
          ? undefined
          : `set the kube-proxy DaemonSet (or add-on) image to 1.${aMin}, the control plane's version`;
      const fixes = [proxyFix, kubeletFix]
        .filter((f): f is string => f !== undefined)
        .join(', and ');
      const fix =
        fixes.length > 0
          ? `${fixes.charAt(0).toUpperCase()}${fixes.slice(1)}.`
          : `kube-proxy already runs the control plane's version 1.${aMin}; the kubelets on ${whereToAct(farFromKubelet.map((m) => m.node))} are newer than kube-apiserver (see KubeletVersionSkew).`;
      findings.push({
        subject: { kind: 'KubeProxy', name: `v${label}` },
        summary: `${howManyRun(nodes.length, 'kube-proxy', label)}: ${sentences.join('; ')}. ${fix}`,
        details: {
          component: 'kube-proxy',
          minor: label,
          problems,
          apiserverMin: `1.${aMin}`,
          apiserverMax: `1.${aMax}`,
          allowedMinorsBehind: window,
          nodesTooFarFromKubelet: farFromKubelet.map((m) => m.node.name).sort(),
          kubeletsToUpgrade: oldKubelets.map((m) => m.node.name).sort(),
          where: whereToAct(nodes),
          ...nodeGroupDetails(members),
        },
        ...earliestSince(starts),
      });
    }
    return partialResult(findings, unjudgedNodes(inv.unparseable, 'kube-proxy'));
  },
});

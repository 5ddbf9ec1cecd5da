/**
 * The upgrade planner: from what a snapshot runs to a target minor, one control-plane minor per
 * hop, each hop's blockers cleared first and its steps in the policy's order (etcd, every
 * kube-apiserver, the other control-plane components, kubelets node group by node group, then
 * kube-proxy and the add-ons). Pure: the snapshot and `now` in, the plan out.
 */
import { EKS_MINORS, UPSTREAM_MINORS } from '../data/kubernetes-versions';
import { ETCD_REQUIREMENTS } from '../data/etcd-versions';
import type { ClusterSnapshot } from '../model';
import { readinessBlockers } from '../readiness/blockers';
import { isEks, minorNumber, minorWithStatus, phaseOf, supportOf } from '../readiness/support';
import { EXTENDED_EXTRA_PER_MONTH } from '../readiness/version-end-of-support';
import { nodeComponentWindow } from '../skew-policy';
import { inventory } from '../skew/inventory';
import { commandsFor } from './commands';
import type {
  Landing,
  PlanBlocker,
  PlanComponent,
  PlanHop,
  PlanResult,
  PlanStep,
  UpgradePlan,
} from './types';

/** A group of node components that move together: one component, node group and minor. */
interface NodeGroup {
  readonly component: 'kubelet' | 'kube-proxy';
  readonly group: string;
  minor: number;
  readonly nodes: string[];
}

/** Providers that run the control plane out of sight (its components are not the user's steps). */
const MANAGED = new Set(['eks', 'gke', 'aks']);

const v = (minor: number): string => `1.${minor}`;

/** `node group ng-1`, or the nodes no node group label names. */
const groupText = (group: string): string =>
  group.startsWith('(') ? group.slice(1, -1) : `node group ${group}`;

/** The step a readiness blocker asks for before the hop (support dates are not a step). */
const READINESS_STEP: Partial<Record<string, PlanComponent>> = {
  nodeOs: 'node-os',
  addon: 'add-on',
  deprecatedApi: 'api-clients',
};

const nodeCount = (n: number): string => (n === 1 ? '1 node' : `${n} nodes`);

/** `1.34`, `v1.34` or `34` → 34; undefined for anything else. */
export function parseTargetMinor(text: string): number | undefined {
  const m = /^v?(?:1\.)?(\d{1,3})$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

function platformOf(snapshot: ClusterSnapshot): UpgradePlan['platform'] {
  const provider = snapshot.platform?.provider ?? snapshot.provider;
  if (provider === 'eks') return 'eks';
  // Control-plane static pods in kube-system are kubeadm's layout.
  const staticPods = snapshot.controlPlane.some(
    (c) => c.component === 'kube-apiserver' && /pod kube-system\//.test(c.version.source),
  );
  const vendor = provider !== undefined && provider !== 'unknown' && provider !== 'upstream';
  return !vendor && staticPods ? 'kubeadm' : 'generic';
}

function nodeGroups(snapshot: ClusterSnapshot): NodeGroup[] {
  const inv = inventory(snapshot);
  const groups = new Map<string, NodeGroup>();
  const add = (component: NodeGroup['component'], group: string, minor: number, node: string) => {
    const key = `${component}\u0000${group}\u0000${minor}`;
    const g = groups.get(key) ?? { component, group, minor, nodes: [] };
    g.nodes.push(node);
    groups.set(key, g);
  };
  for (const k of inv.kubelets)
    add(
      'kubelet',
      k.node.nodeGroup ?? '(the nodes without a node group)',
      k.version.minor,
      k.node.name,
    );
  // kube-proxy is one DaemonSet (an add-on on EKS): grouped by minor only.
  for (const p of inv.kubeProxies) add('kube-proxy', 'kube-proxy', p.version.minor, p.node.name);
  return [...groups.values()].sort(
    // kubelets before kube-proxy (the policy's order: kube-proxy must not run ahead of its kubelet).
    (a, b) =>
      (a.component === b.component ? 0 : a.component === 'kubelet' ? -1 : 1) ||
      a.minor - b.minor ||
      a.group.localeCompare(b.group),
  );
}

/** The newest minor the data knows for the platform: a target beyond it is not guessed at. */
function newestKnown(snapshot: ClusterSnapshot): number {
  const platform = snapshot.platform;
  const live =
    platform && isEks(platform)
      ? platform.eksVersions?.map((e) => minorNumber(e.minor))
      : undefined;
  const table = (platform && isEks(platform) ? EKS_MINORS : UPSTREAM_MINORS).map((m) =>
    minorNumber(m.minor),
  );
  return Math.max(...(live && live.length > 0 ? live : table));
}

/** Who offers the newest minor, for the note about it. */
function platformLabel(snapshot: ClusterSnapshot): string {
  const platform = snapshot.platform;
  if (platform && isEks(platform))
    return platform.eksVersions && platform.eksVersions.length > 0
      ? 'minor EKS offers (DescribeClusterVersions)'
      : "EKS minor in skewguard's calendar";
  return "Kubernetes minor in skewguard's calendar";
}

function landingOf(snapshot: ClusterSnapshot, minor: number, now: number): Landing {
  const platform = snapshot.platform;
  if (!platform)
    return {
      minor: v(minor),
      support: `${v(minor)} (support dates not read: the platform is unknown)`,
    };
  const lookup = supportOf(platform, minor);
  const extended = isEks(platform) && lookup.known && phaseOf(lookup.dates, now) === 'extended';
  return {
    minor: v(minor),
    support: minorWithStatus(platform, minor, now),
    ...(extended ? { monthlyExtraCostUsd: EXTENDED_EXTRA_PER_MONTH } : {}),
  };
}

/** Inputs of a plan besides the snapshot. */
export interface PlanOptions {
  /** The target minor; default the next one. */
  readonly to?: number;
  /** Evaluation time (epoch ms), for support dates. */
  readonly now: number;
  /** The cluster's name on its platform, for commands (EKS cluster name); default the snapshot's. */
  readonly platformName?: string;
}

/** Plans the path from the snapshot's versions to `options.to`, or says why it cannot. */
export function planUpgrade(snapshot: ClusterSnapshot, options: PlanOptions): PlanResult {
  const inv = inventory(snapshot);
  if (inv.aMin === undefined || inv.aMax === undefined)
    return {
      ok: false,
      reason:
        'no kube-apiserver version was read, so there is nothing to plan from: add `kubectl version -o json` output, or read the cluster live',
    };
  const { aMin, aMax } = inv;
  const target = options.to ?? aMax + 1;
  if (target < aMax)
    return {
      ok: false,
      reason: `the target ${v(target)} is below the cluster's kube-apiserver ${v(aMax)}: Kubernetes does not support downgrades; plan to ${v(aMax + 1)} or newer`,
    };
  const newest = newestKnown(snapshot);
  if (target > newest)
    return {
      ok: false,
      reason: `${v(target)} is newer than any minor skewguard's data knows (up to ${v(newest)}): its release, support and removed APIs are unknown, so no plan is guessed; plan to ${v(newest)} or update skewguard`,
    };

  const platform = platformOf(snapshot);
  const managed = MANAGED.has(snapshot.platform?.provider ?? snapshot.provider ?? '');
  const ctx = { platform, cluster: options.platformName ?? snapshot.cluster };
  const notes: string[] = [];
  const groups = nodeGroups(snapshot);
  let controllers = managed
    ? []
    : inv.controllers.map((c) => ({
        // Static pods are named after their component (kube-scheduler-cp-1): not said twice.
        name: c.instance.startsWith(c.component) ? c.instance : `${c.component} ${c.instance}`,
        minor: c.version.minor,
      }));
  let etcd = managed
    ? []
    : inv.etcd.map((e) => ({
        instance: e.instance,
        major: e.version.major,
        minor: e.version.minor,
      }));

  const finishFirst: PlanStep[] = [];
  if (aMax > aMin) {
    const behind = inv.apiservers
      .filter((a) => a.version.minor < aMax)
      .map((a) => a.instance)
      .sort();
    finishFirst.push({
      component: 'kube-apiserver',
      targets: behind,
      from: v(aMin),
      to: v(aMax),
      action: `finish the control-plane upgrade under way: move ${behind.join(', ')} to ${v(aMax)} like the other kube-apiservers, before any new hop`,
      commands:
        platform === 'kubeadm'
          ? ['kubeadm upgrade node   # on each control-plane node still on ' + v(aMin)]
          : [],
    });
  }

  const hops: PlanHop[] = [];
  // A blocker cleared before one hop (an API removed earlier) is not listed again for the next.
  const listed = new Set<string>();
  for (let n = aMax; n < target; n++) {
    const to = n + 1;
    const last = to === target;
    const blockers: PlanBlocker[] = [];
    const steps: PlanStep[] = [];

    // Controllers must already match the apiservers before those move on.
    const lagging = controllers.filter((c) => c.minor < n);
    if (lagging.length > 0) {
      const names = lagging.map((c) => c.name).sort();
      blockers.push({
        kind: 'controlPlane',
        what: `${names.join(', ')} below ${v(n)}`,
        fix: `upgrade them to ${v(n)} first`,
      });
      steps.push({
        component: 'control-plane',
        targets: names,
        from: v(Math.min(...lagging.map((c) => c.minor))),
        to: v(n),
        action: `upgrade ${names.join(', ')} to ${v(n)}`,
        commands: [],
      });
      for (const c of lagging) c.minor = n;
    }
    // Node components the hop would leave beyond the policy window move first, to the current minor.
    for (const g of groups) {
      const window = nodeComponentWindow(g.minor);
      if (to - g.minor <= window) continue;
      const what =
        g.component === 'kubelet'
          ? `kubelet ${v(g.minor)} on ${groupText(g.group)} (${nodeCount(g.nodes.length)})`
          : `kube-proxy ${v(g.minor)} (${nodeCount(g.nodes.length)})`;
      blockers.push({
        kind: 'skew',
        what: `${what} would be ${to - g.minor} minors behind ${v(to)}; the policy allows ${window}`,
        fix: `upgrade it to ${v(n)} before the hop`,
      });
      steps.push({
        component: g.component,
        targets: [g.group],
        from: v(g.minor),
        to: v(n),
        action:
          g.component === 'kubelet'
            ? `upgrade ${groupText(g.group)} from ${v(g.minor)} to ${v(n)} (not newer than the control plane)`
            : `update kube-proxy from ${v(g.minor)} to ${v(n)}`,
        commands: commandsFor(ctx, g.component, [g.group], v(n)),
      });
      g.minor = n;
    }
    // Self-managed etcd below what the next minor is built with.
    const need = ETCD_REQUIREMENTS.find((r) => r.minor === v(to));
    if (need) {
      const [major, minor] = need.etcdMinor.split('.').map(Number) as [number, number];
      const old = etcd.filter((e) => e.major < major || (e.major === major && e.minor < minor));
      if (old.length > 0) {
        const names = old.map((e) => e.instance).sort();
        const version = need.kubeadmDefault ?? `${need.etcdMinor}.x`;
        blockers.push({
          kind: 'etcd',
          what: `etcd ${names.join(', ')} below ${need.etcdMinor}, which ${v(to)} is built with`,
          fix: `upgrade etcd to ${version}, one member at a time`,
        });
        steps.push({
          component: 'etcd',
          targets: names,
          from: `${old[0]?.major}.${old[0]?.minor}`,
          to: version,
          action: `upgrade etcd ${names.join(', ')} to ${version}, one member at a time (etcd moves one minor at a time)`,
          commands:
            platform === 'kubeadm'
              ? [
                  `# kubeadm upgrade apply v${v(to)}.x upgrades a stacked (local) etcd with the control plane; upgrade an external etcd yourself first`,
                ]
              : [],
        });
        etcd = etcd.map((e) => (old.includes(e) ? { ...e, major, minor } : e));
      }
    } else if (etcd.length > 0)
      notes.push(
        `the etcd version ${v(to)} needs is not in skewguard's table: check it before the hop`,
      );

    const readiness = readinessBlockers(snapshot, n, options.now);
    for (const b of readiness.blockers.filter((x) => !listed.has(`${x.component}: ${x.reason}`)))
      blockers.push({
        kind:
          b.kind === 'deprecatedApi' ||
          b.kind === 'addon' ||
          b.kind === 'nodeOs' ||
          b.kind === 'targetSupport'
            ? b.kind
            : 'skew',
        what: `${b.component}: ${b.reason}`,
        fix: b.action,
      });

    // What the user must change before the hop, as a step of its own (the hop's blockers say why).
    for (const b of readiness.blockers.filter((x) => !listed.has(`${x.component}: ${x.reason}`))) {
      const component = READINESS_STEP[b.kind];
      if (component === undefined) continue;
      steps.push({
        component,
        targets: [b.component],
        from: v(n),
        to: v(to),
        action: b.action,
        commands: [],
      });
    }
    for (const b of readiness.blockers) listed.add(`${b.component}: ${b.reason}`);
    // The hop itself.
    steps.push({
      component: 'kube-apiserver',
      targets: managed ? ['control plane'] : inv.apiservers.map((a) => a.instance).sort(),
      from: v(n),
      to: v(to),
      action: managed
        ? `upgrade the control plane to ${v(to)}`
        : `upgrade every kube-apiserver to ${v(to)}, one at a time`,
      commands: commandsFor(ctx, 'kube-apiserver', [], v(to)),
    });
    if (controllers.length > 0) {
      const names = controllers.map((c) => c.name).sort();
      steps.push({
        component: 'control-plane',
        targets: names,
        from: v(n),
        to: v(to),
        action: `upgrade ${names.join(', ')} to ${v(to)}`,
        commands: [],
      });
      controllers = controllers.map((c) => ({ ...c, minor: to }));
    }
    const deferred: PlanHop['deferred'][number][] = [];
    for (const component of ['kubelet', 'kube-proxy'] as const) {
      for (const g of groups.filter((x) => x.component === component)) {
        if (g.minor >= to) continue;
        if (last) {
          steps.push({
            component,
            targets: [g.group],
            from: v(g.minor),
            to: v(to),
            action:
              component === 'kubelet'
                ? `upgrade ${groupText(g.group)} from ${v(g.minor)} to ${v(to)}`
                : `update kube-proxy from ${v(g.minor)} to ${v(to)}`,
            commands: commandsFor(
              ctx,
              component,
              [component === 'kubelet' ? g.group : 'kube-proxy'],
              v(to),
            ),
          });
          g.minor = to;
        } else {
          deferred.push({
            component,
            targets: [g.group],
            minor: v(g.minor),
            until: v(g.minor + nodeComponentWindow(g.minor)),
          });
        }
      }
    }
    if (platform === 'eks' && snapshot.addons && snapshot.addons.length > 0) {
      const names = snapshot.addons
        .map((a) => a.name)
        .filter((name) => name !== 'kube-proxy')
        .sort();
      if (names.length > 0)
        steps.push({
          component: 'add-on',
          targets: names,
          from: v(n),
          to: v(to),
          action: `update the add-ons ${names.join(', ')} to their ${v(to)} defaults`,
          commands: commandsFor(ctx, 'add-on', names, v(to)),
        });
    }
    if (last)
      steps.push({
        component: 'kubectl',
        targets: ['kubectl'],
        from: '',
        to: v(to),
        action: `use kubectl ${v(to - 1)}, ${v(to)} or ${v(to + 1)} against the cluster from now on`,
        commands: [],
      });

    hops.push({
      from: v(n),
      to: v(to),
      blockers,
      steps,
      deferred,
      notChecked: readiness.notChecked,
      landing: landingOf(snapshot, to, options.now),
    });
  }
  if (hops.length === 0) notes.push(`the control plane already runs ${v(target)}: no hop to make`);
  if (options.to === undefined && newest > target)
    notes.push(
      `this plans the next minor only; the newest ${platformLabel(snapshot)} is ${v(newest)}: plan the whole path to it with a target of ${v(newest)}`,
    );
  return {
    ok: true,
    plan: {
      cluster: snapshot.cluster,
      platform,
      from: v(aMin),
      to: v(target),
      finishFirst,
      hops,
      notes,
    },
  };
}

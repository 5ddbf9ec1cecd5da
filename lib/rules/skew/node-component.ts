/** Helpers of the kubelet and kube-proxy skew rules: oldest allowed minor, nodes to act on. */
import type { NodeInfo } from '../model';
import { nodeComponentWindow } from '../skew-policy';
import { listNames, plural, unique } from '../text';
import { patchLabel } from '../version';
import type { ParsedNodeComponent } from './inventory';
import { nodeGroupsOf } from './inventory';

/** Why a node-component version group breaks the policy. */
export type NodeSkewProblem = 'newerThanApiserver' | 'tooOld' | 'tooFarFromKubelet';

/** The oldest minor a node component may run while the newest apiserver is at `aMax`. */
export function oldestAllowedMinor(aMax: number): number {
  let minor = aMax;
  while (minor > 0 && aMax - (minor - 1) <= nodeComponentWindow(minor - 1)) minor -= 1;
  return minor;
}

/** Which nodes to act on: `node group ng-old`, or the node names when no group label exists. */
export function whereToAct(nodes: readonly NodeInfo[]): string {
  const groups = nodeGroupsOf(nodes);
  const ungrouped = nodes.filter((n) => n.nodeGroup === undefined).map((n) => n.name);
  const parts: string[] = [];
  if (groups.length > 0)
    parts.push(`${groups.length === 1 ? 'node group' : 'node groups'} ${listNames(groups)}`);
  if (ungrouped.length > 0)
    parts.push(`${ungrouped.length === 1 ? 'node' : 'nodes'} ${listNames(ungrouped)}`);
  return parts.join(' and ');
}

const MAX_SOURCES_LISTED = 3;

/** Evidence every node-component finding carries. */
export function nodeGroupDetails(members: readonly ParsedNodeComponent[]): Record<string, unknown> {
  const nodes = members.map((m) => m.node);
  const sources = unique(members.map((m) => m.ref.source));
  return {
    versions: unique(members.map((m) => patchLabel(m.version))).sort(),
    rawVersions: unique(members.map((m) => m.ref.raw)).sort(),
    nodeCount: nodes.length,
    nodes: nodes.map((n) => n.name).sort(),
    nodeGroups: nodeGroupsOf(nodes),
    // Where the versions were read, a few examples; the count left out keeps the cut visible.
    sources: sources.slice(0, MAX_SOURCES_LISTED),
    ...(sources.length > MAX_SOURCES_LISTED
      ? { sourcesNotListed: sources.length - MAX_SOURCES_LISTED }
      : {}),
  };
}

/** `12 nodes run kubelet 1.26`. */
export function howManyRun(count: number, component: string, minorText: string): string {
  return `${plural(count, 'node')} ${count === 1 ? 'runs' : 'run'} ${component} ${minorText}`;
}

/**
 * What a node-component rule could not judge: the nodes whose version of `component` does not
 * parse (VersionUnparseable names each), or undefined when every node was judged.
 */
export function unjudgedNodes(
  unparseable: readonly { readonly component: string; readonly owner: string }[],
  component: 'kubelet' | 'kube-proxy',
): string | undefined {
  const nodes = unparseable.filter((u) => u.component === component).map((u) => u.owner);
  if (nodes.length === 0) return undefined;
  const shown = nodes.slice(0, 5).join(', ');
  const more = nodes.length > 5 ? ` and ${nodes.length - 5} more` : '';
  const one = nodes.length === 1;
  return `${plural(nodes.length, 'node')} (${shown}${more}) ${one ? 'reports' : 'report'} a ${component} version that cannot be parsed, so ${one ? 'it was' : 'they were'} not judged (see VersionUnparseable)`;
}

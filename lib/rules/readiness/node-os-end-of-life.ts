/** NodeOsEndOfLife: every node group runs an OS that still gets fixes and, on EKS, has node images for the next minor. */
import type { NodeOsRow } from '../data/node-os';
import { NODE_OS_TABLE, nodeOsRow } from '../data/node-os';
import { dayStart, daysUntil, staleSuffix, tableDetails } from '../data/table';
import type { ClusterSnapshot, NodeInfo, Severity } from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, skip } from '../rule';
import { inventory } from '../skew/inventory';
import { whereToAct } from '../skew/node-component';
import { groupBy, plural, unique } from '../text';
import { countText, numberOf, textOf, wasText } from '../last-finding';

/** The nodes of one node group that run one OS, and what that OS's dates mean for them. */
export interface NodeOsGroup {
  /** The node group label, or undefined for nodes without one. */
  readonly nodeGroup?: string;
  readonly nodes: readonly NodeInfo[];
  /** The table row, or undefined when the table does not know the OS. */
  readonly row?: NodeOsRow;
  /** The `osImage` values seen. */
  readonly osImages: readonly string[];
  /** The date fixes stop for these nodes (on EKS the earlier of the OS's and its AMIs'). */
  readonly endOfLife?: string;
  /** True when EKS publishes no node image of this OS for `target`. */
  readonly blocksTarget: boolean;
}

/** Whether the snapshot is of an EKS cluster, whose node images have their own end dates. */
function onEks(snapshot: ClusterSnapshot): boolean {
  return snapshot.provider === 'eks' || snapshot.platform?.provider === 'eks';
}

/** Nodes grouped by node group and OS, each with its end of life and whether it can follow to `target`. */
export function nodeOsGroups(snapshot: ClusterSnapshot, target?: number): NodeOsGroup[] {
  const eks = onEks(snapshot);
  const withOs = snapshot.nodes.filter((n) => (n.osImage ?? '').trim() !== '');
  const groups = groupBy(withOs, (n) => {
    const row = nodeOsRow(n.osImage ?? '');
    return `${n.nodeGroup ?? ''}\u0000${row ? row.id : `?${n.osImage ?? ''}`}`;
  });
  return [...groups.values()].map((nodes) => {
    const first = nodes[0] as NodeInfo;
    const row = nodeOsRow(first.osImage ?? '');
    const dates = [row?.endOfLife, eks ? row?.eksAmiEndOfSupport : undefined].filter(
      (d): d is string => d !== undefined,
    );
    const endOfLife = dates.sort()[0];
    return {
      ...(first.nodeGroup !== undefined ? { nodeGroup: first.nodeGroup } : {}),
      nodes,
      ...(row ? { row } : {}),
      osImages: unique(nodes.map((n) => n.osImage ?? '')).sort(),
      ...(endOfLife ? { endOfLife } : {}),
      blocksTarget:
        eks && target !== undefined && row?.eksLastMinor !== undefined && target > row.eksLastMinor,
    };
  });
}

/** `4 nodes of node group ng-old run`. */
function whoRuns(group: NodeOsGroup): string {
  const n = group.nodes.length;
  const where = group.nodeGroup !== undefined ? `of node group ${group.nodeGroup} ` : '';
  return `${plural(n, 'node')} ${where}${n === 1 ? 'runs' : 'run'}`;
}

/** Every node group's OS gets fixes and can run the next minor. */
export const NodeOsEndOfLife = defineRule({
  id: 'NodeOsEndOfLife',
  title: 'Node OS past end of life or unable to run the next minor',
  description:
    "Every node runs an OS that still gets security fixes and, on EKS, has node images for the next minor; an OS skewguard's table does not know is reported, not assumed supported.",
  category: 'readiness',
  severity: 'warning',
  otherSeverities: [
    {
      severity: 'info',
      when: "the OS reaches end of life within 90 days, or skewguard's table does not know it",
    },
  ],
  forSeconds: 0,
  needs: ['nodes'],
  tables: [NODE_OS_TABLE],
  resolved: (last) => {
    const group = textOf(last, 'nodeGroup');
    const problem = textOf(last, 'problem');
    const who =
      group !== undefined ? `Node group ${group} no longer has` : 'Ungrouped nodes no longer have';
    return `${who} an OS support problem with ${textOf(last, 'os') ?? 'their OS'}${wasText([
      countText(numberOf(last, 'nodeCount'), 'node'),
      problem !== undefined ? (OS_PROBLEM[problem] ?? problem) : undefined,
    ])}`;
  },
  materialKeys: ['os', 'problem', 'blocksNextUpgrade'],
  evaluate(snapshot, ctx) {
    if (snapshot.nodes.length > 0 && snapshot.nodes.every((n) => !n.osImage))
      return skip(
        'no node reports its OS image (status.nodeInfo.osImage, or kube_node_info os_image)',
      );
    const inv = inventory(snapshot);
    const target = inv.aMax === undefined ? undefined : inv.aMax + 1;
    const stale = staleSuffix(NODE_OS_TABLE, ctx.now);
    const table = tableDetails(NODE_OS_TABLE, ctx.now);
    const findings: RuleFinding[] = [];
    for (const group of nodeOsGroups(snapshot, target)) {
      const verdict = judge(group, target, ctx.now);
      if (!verdict) continue;
      const name = group.row?.name ?? group.osImages[0] ?? 'unknown OS';
      findings.push({
        severity: verdict.severity,
        subject: { kind: 'NodeOs', name: `${group.nodeGroup ?? 'ungrouped nodes'}: ${name}` },
        summary: `${verdict.summary}${stale}`,
        details: {
          os: name,
          osImages: group.osImages,
          ...(group.nodeGroup !== undefined ? { nodeGroup: group.nodeGroup } : {}),
          nodeCount: group.nodes.length,
          nodes: group.nodes.map((n) => n.name).sort(),
          kernelVersions: unique(
            group.nodes.map((n) => n.kernelVersion).filter((k): k is string => k !== undefined),
          ).sort(),
          ...(group.endOfLife ? { endOfLife: group.endOfLife } : {}),
          ...(target !== undefined ? { nextMinor: `1.${target}` } : {}),
          blocksNextUpgrade: group.blocksTarget,
          problem: verdict.problem,
          ...(group.row ? { replacement: group.row.replacement, source: group.row.source } : {}),
          table,
        },
      });
    }
    return findings;
  },
});

interface Verdict {
  readonly severity: Severity;
  readonly summary: string;
  readonly problem: 'endOfLife' | 'blocksNextMinor' | 'endOfLifeSoon' | 'unknownOs';
}

function judge(group: NodeOsGroup, target: number | undefined, now: number): Verdict | undefined {
  const { row } = group;
  const where = whereToAct(group.nodes);
  if (!row) {
    return {
      severity: 'info',
      problem: 'unknownOs',
      summary: `${whoRuns(group)} "${group.osImages.join('", "')}", which skewguard's node OS table does not know: its end of life is unknown, not assumed supported. Check the vendor's dates, or ask for the OS to be added to lib/rules/data/node-os.ts.`,
    };
  }
  const eol = group.endOfLife;
  const ended = eol !== undefined && now >= dayStart(eol);
  const blocks = group.blocksTarget && target !== undefined;
  const cannotFollow = blocks
    ? `no ${row.name} node image exists for 1.${target}, the next minor (EKS stops at 1.${row.eksLastMinor ?? 0})`
    : '';
  const replace = `Replace ${where} with ${row.replacement} nodes`;
  if (ended) {
    const amis =
      row.eksAmiEndOfSupport === eol && row.endOfLife !== eol
        ? ` (EKS ${row.name} AMIs; the OS itself ends ${row.endOfLife ?? 'later'})`
        : '';
    return {
      severity: 'warning',
      problem: 'endOfLife',
      summary: `${whoRuns(group)} ${row.name}, out of support since ${eol}${amis}: no more security fixes${blocks ? `, and ${cannotFollow}` : ''}. ${replace}.`,
    };
  }
  if (blocks) {
    return {
      severity: 'warning',
      problem: 'blocksNextMinor',
      summary: `${whoRuns(group)} ${row.name}, and ${cannotFollow}: these nodes cannot follow the upgrade. ${replace} before upgrading.`,
    };
  }
  if (eol !== undefined && daysUntil(eol, now) <= 90) {
    return {
      severity: 'info',
      problem: 'endOfLifeSoon',
      summary: `${whoRuns(group)} ${row.name}, which reaches end of life on ${eol} (in ${daysUntil(eol, now)} days). ${replace} before then.`,
    };
  }
  return undefined;
}

/** The OS problem a resolved notice says the nodes had. */
const OS_PROBLEM: Readonly<Record<string, string>> = {
  endOfLife: 'out of support',
  blocksNextMinor: 'could not follow the next minor',
  endOfLifeSoon: 'end of life soon',
  unknownOs: 'OS not in the table',
};

/** What besides version skew blocks the move to the next minor: removed APIs still called, add-ons, node OSes, and the target's own support. */
import type { ClusterSnapshot, Severity } from '../model';
import { PART_SUPPLIERS } from '../model';
import { whereToAct } from '../skew/node-component';
import { checkAddon, nextMinorFix } from './addon-incompatible';
import { apiUses, callersText } from './deprecated-apis';
import { nodeOsGroups } from './node-os-end-of-life';
import { isEks, phaseOf, supportOf } from './support';

/** One thing standing in the way of the next minor (NextUpgradeBlocked's `details.blockers`). */
export interface Blocker {
  readonly kind: 'skew' | 'deprecatedApi' | 'addon' | 'nodeOs' | 'targetSupport';
  /** How bad going ahead would be: critical breaks something, warning leaves it unsupported. */
  readonly severity: Severity;
  readonly component: string;
  readonly minor: string;
  readonly count: number;
  readonly reason: string;
  readonly action: string;
  readonly nodes?: readonly string[];
  readonly instances?: readonly string[];
}

/** The non-skew blockers, the checks that could not be made, and the target minor's support. */
export interface ReadinessBlockers {
  readonly blockers: readonly Blocker[];
  /** `deprecated API calls: deprecatedApis not collected (…)`: may block too. */
  readonly notChecked: readonly string[];
  readonly targetSupport?: Readonly<Record<string, unknown>>;
}

/** Why a part cannot be used here, or undefined when it was collected. */
function partGap(
  snapshot: ClusterSnapshot,
  part: 'platform' | 'deprecatedApis' | 'addons',
): string | undefined {
  const status = snapshot.parts[part];
  if (status?.state === 'collected') return undefined;
  if (!status) return `${part} not collected (${PART_SUPPLIERS[part] ?? 'no source read it'})`;
  return `${part} ${status.state === 'missing' ? 'missing' : 'not observable'}: ${status.reason}`;
}

/** Every non-skew blocker of the move from `current` to `current + 1`. */
export function readinessBlockers(
  snapshot: ClusterSnapshot,
  current: number,
  now: number,
): ReadinessBlockers {
  const target = current + 1;
  const blockers: Blocker[] = [];
  const notChecked: string[] = [];

  const apiGap = partGap(snapshot, 'deprecatedApis');
  if (apiGap || !snapshot.deprecatedApis)
    notChecked.push(`deprecated API calls: ${apiGap ?? 'no list'}`);
  else {
    for (const use of apiUses(snapshot.deprecatedApis)) {
      if (!use.inUse || use.removedIn === undefined || use.removedIn > target) continue;
      blockers.push({
        kind: 'deprecatedApi',
        severity: 'critical',
        component: use.label,
        minor: `1.${use.removedIn}`,
        count: use.callers.length,
        reason: `removed in 1.${use.removedIn} and still requested${use.traffic ? ` (${use.traffic})` : ''}, ${callersText(use)}`,
        action: use.fix,
      });
    }
  }

  const eks = snapshot.provider === 'eks' || snapshot.platform?.provider === 'eks';
  const addonGap = partGap(snapshot, 'addons');
  // Add-ons are an EKS notion: elsewhere their absence is no gap.
  if (eks && (addonGap || !snapshot.addons))
    notChecked.push(`EKS add-ons: ${addonGap ?? 'no list'}`);
  for (const addon of addonGap ? [] : (snapshot.addons ?? [])) {
    const check = checkAddon(addon, current, target);
    if (!check.nextChecked)
      notChecked.push(`EKS add-on ${addon.name}: versions for 1.${target} not read`);
    if (!check.nextProblem) continue;
    blockers.push({
      kind: 'addon',
      severity: 'warning',
      component: `add-on ${addon.name} ${addon.version}`,
      minor: `1.${target}`,
      count: 1,
      reason:
        check.nextProblem === 'noBuild'
          ? `no version offered for 1.${target}`
          : `no build for 1.${target}`,
      action: nextMinorFix(check, target),
    });
  }

  for (const group of nodeOsGroups(snapshot, target)) {
    if (!group.blocksTarget || !group.row) continue;
    blockers.push({
      kind: 'nodeOs',
      severity: 'warning',
      component: `${group.row.name} nodes`,
      minor: `1.${group.row.eksLastMinor ?? 0}`,
      count: group.nodes.length,
      reason: `EKS publishes no ${group.row.name} node image for 1.${target}`,
      action: `replace ${whereToAct(group.nodes)} with ${group.row.replacement} nodes`,
      nodes: group.nodes.map((n) => n.name).sort(),
    });
  }

  const platformGap = partGap(snapshot, 'platform');
  const platform = snapshot.platform;
  if (platformGap || !platform) {
    notChecked.push(`support of 1.${target}: ${platformGap ?? 'no platform'}`);
    return { blockers, notChecked };
  }
  const lookup = supportOf(platform, target);
  if (!lookup.known) {
    // Live EKS answers list every version EKS offers: a target missing there is not offered yet.
    if (isEks(platform) && platform.eksVersions && lookup.newer) {
      blockers.push({
        kind: 'targetSupport',
        severity: 'critical',
        component: `EKS 1.${target}`,
        minor: `1.${target}`,
        count: 1,
        reason: `EKS does not offer 1.${target} yet (${platform.source} lists up to 1.${lookup.newest})`,
        action: `wait until EKS releases 1.${target}`,
      });
    } else notChecked.push(`support of 1.${target}: not in ${lookup.from}`);
    return { blockers, notChecked };
  }
  const phase = phaseOf(lookup.dates, now);
  if (phase === 'unreleased') {
    const who = isEks(platform) ? 'EKS' : 'Kubernetes';
    blockers.push({
      kind: 'targetSupport',
      severity: 'critical',
      component: `${who} 1.${target}`,
      minor: `1.${target}`,
      count: 1,
      reason: `not released before ${lookup.dates.releaseDate ?? 'an unknown date'}`,
      action: `wait for the ${who} 1.${target} release`,
    });
  }
  return {
    blockers,
    notChecked,
    targetSupport: {
      minor: `1.${target}`,
      phase,
      endOfSupport: lookup.dates.endOfSupport,
      ...(lookup.dates.endOfExtendedSupport
        ? { endOfExtendedSupport: lookup.dates.endOfExtendedSupport }
        : {}),
      source: lookup.dates.from,
    },
  };
}

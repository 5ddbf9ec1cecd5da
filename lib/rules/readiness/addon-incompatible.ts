/** AddonIncompatible: every EKS add-on runs a version AWS offers for the cluster's minor, and one exists for the next. */
import type { EksAddon } from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, skip } from '../rule';
import { apiserverBoundsMissing, inventory } from '../skew/inventory';
import { listNames } from '../text';
import { compareVersions, parseVersion } from '../version';
import { textOf, wasText } from '../last-finding';

/** What stands between one add-on and the current and next minor. */
export interface AddonCheck {
  readonly addon: EksAddon;
  /** False when the installed version is not offered for the current minor; undefined when not asked. */
  readonly supportedNow?: boolean;
  /** `noBuild`: nothing offered for the next minor; `installedIncompatible`: the installed version is not. */
  readonly nextProblem?: 'noBuild' | 'installedIncompatible';
  /** Whether the next minor's versions were read at all. */
  readonly nextChecked: boolean;
  readonly defaultNow?: string;
  readonly defaultNext?: string;
  /** The newest version offered for both minors: update to it before the upgrade. */
  readonly bridge?: string;
}

/** The newest of `versions` (eksbuild number breaks ties), or undefined for none. */
function newest(versions: readonly string[]): string | undefined {
  const build = (v: string): number => Number(/eksbuild\.(\d+)/.exec(v)?.[1] ?? 0);
  return [...versions].sort((a, b) => {
    const pa = parseVersion(a);
    const pb = parseVersion(b);
    const byVersion = pa.ok && pb.ok ? compareVersions(pb.version, pa.version) : 0;
    return byVersion || build(b) - build(a) || b.localeCompare(a);
  })[0];
}

/** The add-on against the current minor and the next. */
export function checkAddon(addon: EksAddon, current: number, next: number): AddonCheck {
  const now = addon.compatibleVersions[`1.${current}`];
  const then = addon.compatibleVersions[`1.${next}`];
  const defaultNow = addon.defaultVersions?.[`1.${current}`] ?? (now ? newest(now) : undefined);
  const defaultNext = addon.defaultVersions?.[`1.${next}`] ?? (then ? newest(then) : undefined);
  const bridge = now && then ? newest(now.filter((v) => then.includes(v))) : undefined;
  let nextProblem: AddonCheck['nextProblem'];
  if (then && then.length === 0) nextProblem = 'noBuild';
  else if (then && !then.includes(addon.version)) nextProblem = 'installedIncompatible';
  return {
    addon,
    ...(now ? { supportedNow: now.includes(addon.version) } : {}),
    ...(nextProblem ? { nextProblem } : {}),
    nextChecked: then !== undefined,
    ...(defaultNow ? { defaultNow } : {}),
    ...(defaultNext ? { defaultNext } : {}),
    ...(bridge ? { bridge } : {}),
  };
}

/** The fix for the next minor: the bridge version first, else the next minor's default after it. */
export function nextMinorFix(check: AddonCheck, next: number): string {
  const { addon } = check;
  if (check.nextProblem === 'noBuild')
    return `wait until AWS offers ${addon.name} for 1.${next} (or remove the add-on) before upgrading`;
  if (check.bridge && check.bridge !== addon.version)
    return `update ${addon.name} to ${check.bridge}, which runs on both minors, before upgrading${check.defaultNext && check.defaultNext !== check.bridge ? ` (the default for 1.${next} is ${check.defaultNext})` : ''}`;
  return `update ${addon.name} to ${check.defaultNext ?? `a version offered for 1.${next}`}, the default for 1.${next}, together with the upgrade`;
}

/** Every add-on runs a version offered for this minor and has a build for the next. */
export const AddonIncompatible = defineRule({
  id: 'AddonIncompatible',
  title: 'EKS add-on version not offered for this or the next minor',
  description:
    'Every EKS add-on runs a version AWS offers for the current minor, and a version of it exists for the next minor.',
  category: 'readiness',
  severity: 'warning',
  forSeconds: 0,
  needs: ['apiserver', 'addons'],
  resolved: (last) => {
    const current = textOf(last, 'currentMinor');
    const next = textOf(last, 'nextMinor');
    return `EKS add-on ${textOf(last, 'addon') ?? last.subject.name} is no longer incompatible${wasText(
      [
        textOf(last, 'installedVersion'),
        last.details['supportedOnCurrentMinor'] === false && current
          ? `unsupported on ${current}`
          : undefined,
        textOf(last, 'nextMinorProblem') !== undefined && next ? `no build for ${next}` : undefined,
      ],
    )}`;
  },
  evaluate(snapshot) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMax === undefined) return skip(missing ?? '');
    const addons = snapshot.addons;
    if (!addons)
      return skip(
        'the addons part is marked collected, but the snapshot lists none (a cluster without add-ons has an empty list)',
      );
    const current = inv.aMax;
    const next = current + 1;
    const checks = addons.map((a) => checkAddon(a, current, next));
    // Half-read compatibility would make a quiet result a guess: skip and name the gap.
    const unread = checks
      .filter((c) => c.supportedNow === undefined || !c.nextChecked)
      .map((c) => c.addon.name);
    if (unread.length > 0) {
      return skip(
        `eks:DescribeAddonVersions was not read for both 1.${current} and 1.${next} for ${listNames(unread)}: supply the versions offered for the current and the next minor`,
      );
    }
    const findings: RuleFinding[] = [];
    for (const check of checks) {
      const addon = check.addon;
      if (check.supportedNow !== false && check.nextProblem === undefined) continue;
      const parts: string[] = [];
      if (check.supportedNow === false) {
        parts.push(
          `${addon.name} ${addon.version} is not a version AWS offers for 1.${current}, so it is unsupported on this cluster now. Update it to ${check.defaultNow ?? `a version offered for 1.${current}`}${check.defaultNow ? `, the default for 1.${current}` : ''}`,
        );
      }
      if (check.nextProblem === 'noBuild') {
        parts.push(
          `${check.supportedNow === false ? 'Also, no' : 'No'} version of ${addon.name} is offered for 1.${next}, so it blocks the upgrade to 1.${next}: ${nextMinorFix(check, next)}`,
        );
      } else if (check.nextProblem === 'installedIncompatible') {
        parts.push(
          `${check.supportedNow === false ? 'It' : `${addon.name} ${addon.version}`} has no build for 1.${next}, so it blocks the upgrade to 1.${next}: ${nextMinorFix(check, next)}`,
        );
      }
      findings.push({
        subject: { kind: 'EksAddon', name: addon.name },
        summary: `${parts.join('. ')}.`,
        details: {
          addon: addon.name,
          installedVersion: addon.version,
          currentMinor: `1.${current}`,
          nextMinor: `1.${next}`,
          supportedOnCurrentMinor: check.supportedNow,
          ...(check.nextProblem ? { nextMinorProblem: check.nextProblem } : {}),
          ...(check.defaultNow ? { defaultForCurrentMinor: check.defaultNow } : {}),
          ...(check.defaultNext ? { defaultForNextMinor: check.defaultNext } : {}),
          ...(check.bridge ? { updateBeforeUpgrade: check.bridge } : {}),
          ...(addon.status ? { status: addon.status } : {}),
        },
      });
    }
    return findings;
  },
});

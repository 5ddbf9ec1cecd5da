/** The ApiServerVersionSkew rule: all kube-apiserver instances run the same minor version. */
import { formatDuration } from '../duration';
import { defineRule, HOUR, skip } from '../rule';
import { CONTROL_PLANE_POLICY } from '../skew-policy';
import { groupBy, listNames } from '../text';
import { sinceBoth } from './history';
import { apiserverBoundsMissing, inventory } from './inventory';
import { textOf, wasText } from '../last-finding';

/**
 * Providers that run the apiservers themselves: users cannot upgrade an instance, so the advice is
 * to wait for the provider's upgrade and escalate to it (lib/rules imports nothing from collect,
 * hence this short copy of the managed platforms).
 */
const MANAGED: Readonly<Record<string, string>> = { eks: 'EKS', gke: 'GKE', aks: 'AKS' };

/** All kube-apiserver instances run the same minor version (one apart only during an HA upgrade). */
export const ApiServerVersionSkew = defineRule({
  id: 'ApiServerVersionSkew',
  title: 'kube-apiserver instances on different minor versions',
  description:
    'All kube-apiserver instances run the same minor version; one minor apart is tolerated for an hour while an HA upgrade rolls.',
  category: 'skew',
  severity: 'critical',
  otherSeverities: [
    { severity: 'warning', when: '1 minor apart (HA upgrade), for 1h', forSeconds: HOUR },
  ],
  forSeconds: 0,
  dates: 'versions',
  needs: ['apiserver'],
  resolved: (last) =>
    `All kube-apiserver instances run one minor again${wasText([range(textOf(last, 'apiserverMin'), textOf(last, 'apiserverMax'))])}`,
  evaluate(snapshot) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMin === undefined || inv.aMax === undefined)
      return skip(missing ?? '');
    const { aMin, aMax } = inv;
    const spread = aMax - aMin;
    if (spread === 0) return [];
    const byMinor = [...groupBy(inv.apiservers, (a) => a.version.minor)].sort(([a], [b]) => a - b);
    const instances = Object.fromEntries(
      byMinor.map(([m, items]) => [`1.${m}`, items.map((i) => i.instance).sort()]),
    );
    const oldest = instances[`1.${aMin}`] ?? [];
    const details = {
      apiserverMin: `1.${aMin}`,
      apiserverMax: `1.${aMax}`,
      minorsApart: spread,
      allowedMinorsApart: CONTROL_PLANE_POLICY.apiserverHaMaxSkew,
      instancesByMinor: instances,
    };
    const managed = snapshot.provider === undefined ? undefined : MANAGED[snapshot.provider];
    const managedDetails = managed ? { ...details, managedBy: managed } : details;
    const subject = { kind: 'KubeAPIServer', name: 'kube-apiserver' };
    const since = sinceBoth(snapshot.versionHistory?.apiserverMinors, `1.${aMin}`, `1.${aMax}`);
    if (spread > CONTROL_PLANE_POLICY.apiserverHaMaxSkew) {
      return [
        {
          subject,
          summary: `kube-apiserver instances run 1.${aMin} to 1.${aMax}, ${spread} minors apart; the policy allows ${CONTROL_PLANE_POLICY.apiserverHaMaxSkew}. ${
            managed
              ? `${managed} manages these apiservers and upgrades one minor at a time, so this is not an upgrade it is running: open a support case with ${managed} now.`
              : `Upgrade ${listNames(oldest, 3)} one minor at a time to 1.${aMax}.`
          }`,
          details: managedDetails,
          ...since,
        },
      ];
    }
    return [
      {
        severity: 'warning',
        forSeconds: HOUR,
        subject,
        summary: managed
          ? `kube-apiserver instances run 1.${aMin} and 1.${aMax}: ${managed} is upgrading the managed control plane to 1.${aMax}. Nothing to do while it rolls; if this holds for more than ${formatDuration(HOUR)}, check the upgrade's status with ${managed} and open a support case with ${managed}.`
          : `kube-apiserver instances run 1.${aMin} and 1.${aMax}: an HA upgrade has not finished. Upgrade ${listNames(oldest, 3)} to 1.${aMax}.`,
        details: managedDetails,
        ...since,
      },
    ];
  },
});

/** `1.29 to 1.30`, when both ends are known. */
function range(min: string | undefined, max: string | undefined): string | undefined {
  return min !== undefined && max !== undefined ? `${min} to ${max}` : undefined;
}

/**
 * The ControlPlaneVersionSkew rule: controller-manager, scheduler and cloud-controller-manager no
 * newer than the oldest kube-apiserver and at most one minor behind the newest.
 */
import type { RuleFinding } from '../rule';
import { defineRule, skip } from '../rule';
import { CONTROL_PLANE_POLICY } from '../skew-policy';
import { groupBy, listNames, plural, unique } from '../text';
import { patchLabel } from '../version';
import { apiserverBoundsMissing, inventory } from './inventory';
import { countOf, countText, textOf, wasText } from '../last-finding';

/** controller-manager, scheduler and cloud-controller-manager are no newer than the oldest kube-apiserver and at most one minor older than the newest. */
export const ControlPlaneVersionSkew = defineRule({
  id: 'ControlPlaneVersionSkew',
  title: 'Controller-manager or scheduler outside the version skew policy',
  description:
    'kube-controller-manager, kube-scheduler and cloud-controller-manager are no newer than the oldest kube-apiserver and at most one minor older than the newest.',
  category: 'skew',
  severity: 'critical',
  forSeconds: 0,
  needs: ['apiserver', 'controlPlane'],
  resolved: (last) => {
    const component = textOf(last, 'component') ?? last.subject.kind;
    const minor = textOf(last, 'minor') ?? last.subject.name.replace(/^v/, '');
    const count = countText(countOf(last, 'instances'), 'instance');
    return `No ${component} on ${minor} is out of policy any more${wasText([count && `${count} on ${minor}`])}`;
  },
  evaluate(snapshot) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMin === undefined || inv.aMax === undefined)
      return skip(missing ?? '');
    const { aMin, aMax } = inv;
    const maxBehind = CONTROL_PLANE_POLICY.controllerMaxBehind;
    const findings: RuleFinding[] = [];
    const groups = groupBy(inv.controllers, (c) => `${c.component} ${c.version.minor}`);
    for (const members of groups.values()) {
      const first = members[0];
      if (!first) continue;
      const { component } = first;
      const minor = first.version.minor;
      const label = `1.${minor}`;
      const instances = members.map((m) => m.instance).sort();
      const base = {
        component,
        minor: label,
        versions: unique(members.map((m) => patchLabel(m.version))).sort(),
        instances,
        apiserverMin: `1.${aMin}`,
        apiserverMax: `1.${aMax}`,
        allowedMinorsBehind: maxBehind,
      };
      const who = `${plural(instances.length, `${component} instance`)} (${listNames(instances, 3)}) ${instances.length === 1 ? 'runs' : 'run'} ${label}`;
      if (minor > aMin) {
        findings.push({
          subject: { kind: subjectKind(component), name: `v${label}` },
          summary: `${who}, newer than the oldest kube-apiserver 1.${aMin}; it must never be newer. Upgrade every kube-apiserver to ${label} before ${component}.`,
          details: { ...base, problem: 'newerThanApiserver' },
        });
      } else if (aMax - minor > maxBehind) {
        findings.push({
          subject: { kind: subjectKind(component), name: `v${label}` },
          summary: `${who}, ${aMax - minor} minors behind kube-apiserver 1.${aMax}; the policy allows ${maxBehind}. Upgrade ${component} to 1.${aMax}.`,
          details: { ...base, problem: 'tooOld', minorsBehind: aMax - minor },
        });
      }
    }
    return findings;
  },
});

/** `kube-controller-manager` → `KubeControllerManager`. */
export function subjectKind(component: string): string {
  return component
    .split('-')
    .map((w) => (w === 'kube' ? 'Kube' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}

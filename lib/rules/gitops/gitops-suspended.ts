/** The GitOpsSuspended rule: no Flux reconciliation stays suspended for more than 7 days. */
import type { RuleFinding } from '../rule';
import { defineRule, HOUR } from '../rule';
import { textOf, wasText } from '../last-finding';
import { appName, gitopsApps, lastAppName, shortRevision, sinceOf, subjectOf } from './apps';

/** Every Flux Kustomization and HelmRelease is reconciled: none has spec.suspend true for 7 days. */
export const GitOpsSuspended = defineRule({
  id: 'GitOpsSuspended',
  title: 'GitOps reconciliation suspended',
  description:
    'No Flux Kustomization or HelmRelease has had spec.suspend set for more than 7 days (a suspension is for an incident, not a way of life).',
  category: 'gitops',
  severity: 'info',
  forSeconds: 7 * 24 * HOUR,
  needs: ['gitops'],
  resolved: (last) =>
    `${lastAppName(last)} is reconciled again${wasText([textOf(last, 'applied') && `suspended at ${shortRevision(textOf(last, 'applied'))}`])}`,
  materialKeys: ['applied'],
  evaluate(snapshot) {
    const findings: RuleFinding[] = [];
    // Argo CD has no suspend switch: an Application without automated sync is manual by design.
    for (const app of gitopsApps(snapshot)) {
      if (!app.suspended) continue;
      const applied = app.lastAppliedRevision;
      const dated = app.suspendedSince !== undefined;
      findings.push({
        subject: subjectOf(app),
        summary: `${appName(app)} has reconciliation suspended (spec.suspend: true)${applied ? `, holding ${shortRevision(applied)}` : ''}; ${dated ? `suspended since ${app.suspendedSince ?? ''} at the latest` : 'no timestamp proves since when, so this waits for the ledger to see it hold 7 days'}. Resume it with \`flux resume ${app.controller === 'flux-helmrelease' ? 'helmrelease' : 'kustomization'} ${app.name} -n ${app.namespace}\`, or remove the object from Git if it is retired.`,
        details: {
          controller: app.controller,
          suspended: true,
          ...(applied !== undefined ? { applied } : {}),
          datedBy: dated ? 'managedFields time of spec.suspend' : 'ledger',
        },
        ...sinceOf(app.suspendedSince),
      });
    }
    return findings;
  },
});

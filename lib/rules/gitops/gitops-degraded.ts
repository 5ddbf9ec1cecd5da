/** The GitOpsDegraded rule: no GitOps app Degraded (Argo CD) or not Ready (Flux) for 15 minutes. */
import type { GitOpsApp } from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, MINUTE } from '../rule';
import { textOf, wasText } from '../last-finding';
import { appName, cutMessage, gitopsApps, lastAppName, quoted, sinceOf, subjectOf } from './apps';

/** Every Argo CD Application's health is not Degraded and every Flux object is Ready, or recovers within 15 minutes. */
export const GitOpsDegraded = defineRule({
  id: 'GitOpsDegraded',
  title: 'GitOps app degraded',
  description:
    'No Argo CD Application has health Degraded and no Flux Kustomization or HelmRelease has Ready=False for more than 15 minutes.',
  category: 'gitops',
  severity: 'critical',
  forSeconds: 15 * MINUTE,
  needs: ['gitops'],
  resolved: (last) =>
    `${lastAppName(last)} is no longer degraded${wasText([textOf(last, 'health') ?? textOf(last, 'reason')])}`,
  materialKeys: ['health', 'reason'],
  evaluate(snapshot) {
    const findings: RuleFinding[] = [];
    for (const app of gitopsApps(snapshot)) {
      const finding = app.controller === 'argocd' ? argoDegraded(app) : fluxNotReady(app);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function argoDegraded(app: GitOpsApp): RuleFinding | undefined {
  if (app.health !== 'Degraded') return undefined;
  return {
    subject: subjectOf(app),
    summary: `${appName(app)} is Degraded${quoted(app.healthMessage)}: a resource it manages is failing; see \`argocd app get ${app.name}\` for which.`,
    details: {
      controller: app.controller,
      health: 'Degraded',
      ...(cutMessage(app.healthMessage) !== undefined
        ? { message: cutMessage(app.healthMessage) }
        : {}),
      ...(app.sync !== undefined ? { sync: app.sync } : {}),
    },
    // Argo CD sets health.lastTransitionTime from v2.11 on; older versions leave it to the ledger.
    ...sinceOf(app.healthSince),
  };
}

function fluxNotReady(app: GitOpsApp): RuleFinding | undefined {
  const ready = app.ready;
  // A suspended object keeps its last condition; GitOpsSuspended reports the suspension.
  if (app.suspended || ready?.status !== 'False') return undefined;
  return {
    subject: subjectOf(app),
    summary: `${appName(app)} is not Ready${ready.reason ? ` (${ready.reason})` : ''}${quoted(ready.message)}.`,
    details: {
      controller: app.controller,
      reason: ready.reason ?? 'Ready=False',
      ...(cutMessage(ready.message) !== undefined ? { message: cutMessage(ready.message) } : {}),
      ready,
    },
    ...sinceOf(ready.since),
  };
}

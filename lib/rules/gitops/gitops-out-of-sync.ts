/** The GitOpsOutOfSync rule: every GitOps app runs what Git says, within 2 hours of a change. */
import type { GitOpsApp } from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, HOUR } from '../rule';
import { textOf, wasText } from '../last-finding';
import {
  appName,
  failedPhase,
  gitopsApps,
  lastAppName,
  sinceOf,
  shortRevision,
  subjectOf,
  unappliedRevision,
} from './apps';

/** No Argo CD Application OutOfSync, and no Flux object whose last attempted revision is not applied, for 2 hours. */
export const GitOpsOutOfSync = defineRule({
  id: 'GitOpsOutOfSync',
  title: 'GitOps app out of sync with Git',
  description:
    'Every Argo CD Application is Synced and every Flux Kustomization and HelmRelease has applied the revision it last attempted, within 2 hours of a change in Git.',
  category: 'gitops',
  severity: 'warning',
  forSeconds: 2 * HOUR,
  needs: ['gitops'],
  resolved: (last) =>
    `${lastAppName(last)} runs what Git says again${wasText([
      textOf(last, 'sync'),
      textOf(last, 'wanted') && `Git at ${shortRevision(textOf(last, 'wanted'))}`,
      textOf(last, 'applied') && `cluster at ${shortRevision(textOf(last, 'applied'))}`,
    ])}`,
  // The revisions say what to act on; Argo CD's reconciledAt moves every few minutes on its own.
  materialKeys: ['sync', 'wanted', 'applied'],
  evaluate(snapshot) {
    const findings: RuleFinding[] = [];
    for (const app of gitopsApps(snapshot)) {
      const finding = app.controller === 'argocd' ? argoOutOfSync(app) : fluxOutOfSync(app);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function argoOutOfSync(app: GitOpsApp): RuleFinding | undefined {
  if (app.sync !== 'OutOfSync') return undefined;
  const op = app.operation;
  // A sync that started and did not succeed proves the app was already out of sync then; an
  // OutOfSync status alone carries no time, so the ledger dates it.
  const since = failedPhase(op?.phase) ? op?.startedAt : undefined;
  const revision = shortRevision(app.revision);
  const how =
    app.automated === true
      ? failedPhase(op?.phase)
        ? `automated sync is on, but the last sync ${op?.phase === 'Error' ? 'errored' : 'failed'}`
        : 'automated sync is on and has not caught up'
      : 'automated sync is off, so it waits for a manual sync';
  return {
    subject: subjectOf(app),
    summary: `${appName(app)} is OutOfSync with Git${revision ? ` at ${revision}` : ''}: ${how}; sync it, or commit the live change to Git.`,
    details: {
      controller: app.controller,
      sync: 'OutOfSync',
      ...(app.revision !== undefined ? { wanted: app.revision } : {}),
      automated: app.automated === true,
      ...(app.health !== undefined ? { health: app.health } : {}),
      ...(op ? { operation: op } : {}),
      ...(app.reconciledAt !== undefined ? { reconciledAt: app.reconciledAt } : {}),
      datedBy: since !== undefined ? 'operationState.startedAt of the failed sync' : 'ledger',
    },
    ...sinceOf(since),
  };
}

function fluxOutOfSync(app: GitOpsApp): RuleFinding | undefined {
  // A suspended object is out of sync on purpose: GitOpsSuspended reports it.
  if (app.suspended) return undefined;
  const wanted = unappliedRevision(app);
  if (wanted === undefined) return undefined;
  // Ready=False since T: the attempted revision has failed to apply at every reconcile since T.
  const since = app.ready?.status === 'False' ? app.ready.since : undefined;
  const applied = app.lastAppliedRevision;
  return {
    subject: subjectOf(app),
    summary: `${appName(app)} has not applied ${shortRevision(wanted)} from Git (cluster ${applied ? `at ${shortRevision(applied)}` : 'never applied a revision'}${app.ready ? `, Ready=${app.ready.status}${app.ready.reason ? ` ${app.ready.reason}` : ''}` : ''}); fix what blocks the apply, or revert the commit.`,
    details: {
      controller: app.controller,
      sync: 'OutOfSync',
      wanted,
      ...(applied !== undefined ? { applied } : {}),
      ...(app.ready ? { ready: app.ready } : {}),
      datedBy: since !== undefined ? 'Ready condition lastTransitionTime' : 'ledger',
    },
    ...sinceOf(since),
  };
}

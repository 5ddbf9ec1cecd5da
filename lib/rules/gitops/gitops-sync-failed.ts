/** The GitOpsSyncFailed rule: the last sync or reconcile of every GitOps app succeeded. */
import type { GitOpsApp } from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, MINUTE } from '../rule';
import { textOf, wasText } from '../last-finding';
import {
  appName,
  cutMessage,
  earliest,
  failedPhase,
  gitopsApps,
  lastAppName,
  quoted,
  shortRevision,
  sinceOf,
  subjectOf,
  unappliedRevision,
} from './apps';

// Argo CD condition types that say the app could not be compared or synced at all.
const ARGO_ERROR_CONDITIONS = new Set(['ComparisonError', 'SyncError', 'InvalidSpecError']);

/** No Argo CD sync operation Failed or Error and no Flux reconcile failing, for 10 minutes. */
export const GitOpsSyncFailed = defineRule({
  id: 'GitOpsSyncFailed',
  title: 'GitOps sync failed',
  description:
    "Every GitOps app's last sync or reconcile succeeded: no Argo CD operation Failed or Error, no Argo CD ComparisonError/SyncError condition, no Flux Ready=False with a failure reason or an unapplied revision.",
  category: 'gitops',
  severity: 'warning',
  // Flux retries every interval; a failure a retry clears within 10 minutes is not news.
  forSeconds: 10 * MINUTE,
  needs: ['gitops'],
  resolved: (last) =>
    `The last sync of ${lastAppName(last)} no longer fails${wasText([textOf(last, 'reason')])}`,
  // Controller messages embed times and attempt counts; the reason and revision say what changed.
  materialKeys: ['reason', 'revision'],
  evaluate(snapshot) {
    const findings: RuleFinding[] = [];
    for (const app of gitopsApps(snapshot)) {
      const finding = app.controller === 'argocd' ? argoFailure(app) : fluxFailure(app);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function argoFailure(app: GitOpsApp): RuleFinding | undefined {
  const op = app.operation;
  if (op && failedPhase(op.phase)) {
    return {
      subject: subjectOf(app),
      summary: `The last sync of ${appName(app)} ${op.phase === 'Error' ? 'errored' : 'failed'}${quoted(op.message)}.`,
      details: {
        controller: app.controller,
        reason: `operation ${op.phase}`,
        ...(cutMessage(op.message) !== undefined ? { message: cutMessage(op.message) } : {}),
        ...(app.revision !== undefined ? { revision: app.revision } : {}),
        operation: op,
      },
      ...sinceOf(op.finishedAt ?? op.startedAt),
    };
  }
  const errors = app.conditions.filter((c) => ARGO_ERROR_CONDITIONS.has(c.type));
  const [first] = errors;
  if (!first) return undefined;
  return {
    subject: subjectOf(app),
    summary: `Argo CD cannot ${first.type === 'ComparisonError' ? 'compare' : 'sync'} ${appName(app).replace(/^Argo CD /, '')} with Git (${first.type})${quoted(first.message)}.`,
    details: {
      controller: app.controller,
      reason: first.type,
      ...(cutMessage(first.message) !== undefined ? { message: cutMessage(first.message) } : {}),
      conditions: errors.map((c) => ({ ...c, message: cutMessage(c.message) })),
    },
    ...sinceOf(earliest(...errors.map((c) => c.since))),
  };
}

function fluxFailure(app: GitOpsApp): RuleFinding | undefined {
  const ready = app.ready;
  if (app.suspended || ready?.status !== 'False') return undefined;
  const unapplied = unappliedRevision(app);
  // Flux's failure reasons end in Failed (BuildFailed, InstallFailed, UpgradeFailed, …).
  const failed = /Failed$|Error$/.test(ready.reason ?? '') || unapplied !== undefined;
  if (!failed) return undefined;
  return {
    subject: subjectOf(app),
    summary: `The last reconcile of ${appName(app)}${unapplied ? ` (revision ${shortRevision(unapplied)})` : ''} failed${ready.reason ? ` with ${ready.reason}` : ''}${quoted(ready.message)}.`,
    details: {
      controller: app.controller,
      reason: ready.reason ?? 'Ready=False',
      ...(cutMessage(ready.message) !== undefined ? { message: cutMessage(ready.message) } : {}),
      ...(unapplied !== undefined ? { revision: unapplied } : {}),
      ...(app.lastAppliedRevision !== undefined ? { applied: app.lastAppliedRevision } : {}),
      ready,
    },
    ...sinceOf(ready.since),
  };
}

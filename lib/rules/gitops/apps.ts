/** What the GitOps rules share: the apps of a snapshot, their subjects and names, and the controller's messages cut to one line. */
import type { GitOpsApp, Subject } from '../model';
import { GITOPS_KINDS } from '../model';
import type { LastFinding } from '../rule';
import { workloadName } from '../last-finding';

/** The GitOps apps of a snapshot (empty when the part holds none). */
export function gitopsApps(snapshot: {
  readonly gitops?: readonly GitOpsApp[];
}): readonly GitOpsApp[] {
  return snapshot.gitops ?? [];
}

/** The app's subject: its own kind, namespace and name. */
export function subjectOf(app: GitOpsApp): Subject {
  return { kind: GITOPS_KINDS[app.controller], namespace: app.namespace, name: app.name };
}

/** `Argo CD Application argocd/shop`, `Flux Kustomization flux-system/apps`. */
export function appName(app: GitOpsApp): string {
  return `${controllerLabel(app.controller === 'argocd' ? 'Application' : GITOPS_KINDS[app.controller])} ${app.namespace}/${app.name}`;
}

/** The same name from a finding the ledger kept, for resolved notices. */
export function lastAppName(last: LastFinding): string {
  return `${controllerLabel(last.subject.kind)} ${workloadName(last.subject)}`;
}

function controllerLabel(kind: string): string {
  return kind === 'Application' ? 'Argo CD Application' : `Flux ${kind}`;
}

// Controller messages can be whole kubectl error dumps; a summary line keeps the start of one.
const MESSAGE_MAX = 240;

/** A controller's message on one line, cut at MESSAGE_MAX characters with `…`. */
export function cutMessage(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const line = message.replace(/\s+/g, ' ').trim();
  if (line === '') return undefined;
  return line.length > MESSAGE_MAX ? `${line.slice(0, MESSAGE_MAX - 1)}…` : line;
}

/** `: "message"` when there is one, else ''. */
export function quoted(message: string | undefined): string {
  const cut = cutMessage(message);
  return cut === undefined ? '' : `: "${cut}"`;
}

/** A short form of a revision for summaries: the first 7 characters of a commit SHA. */
export function shortRevision(revision: string | undefined): string | undefined {
  if (revision === undefined || revision === '') return undefined;
  // Flux writes `main@sha1:<sha>`; Argo CD a bare SHA; Helm a chart version.
  const sha = /(?:sha1:|sha256:)?([0-9a-f]{40,64})$/.exec(revision);
  if (!sha?.[1]) return revision;
  const prefix = revision.slice(0, sha.index).replace(/sha1?:|sha256:/, '');
  return `${prefix}${sha[1].slice(0, 7)}`;
}

/** Whether an Argo CD operation phase is a failed sync. */
export function failedPhase(phase: string | undefined): boolean {
  return phase === 'Failed' || phase === 'Error';
}

/** The earliest of some ISO times that are set, or undefined. */
export function earliest(...times: readonly (string | undefined)[]): string | undefined {
  const valid = times.filter((t): t is string => t !== undefined && !Number.isNaN(Date.parse(t)));
  if (valid.length === 0) return undefined;
  return valid.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

/** `{since}` when the time is known, else `{}` so the ledger dates the finding itself. */
export function sinceOf(time: string | undefined): { since?: string } {
  return time !== undefined && !Number.isNaN(Date.parse(time)) ? { since: time } : {};
}

/** The Flux revision the controller tried last and could not apply, when the two differ. */
export function unappliedRevision(app: GitOpsApp): string | undefined {
  if (app.controller === 'argocd') return undefined;
  const attempted = app.lastAttemptedRevision;
  if (attempted === undefined || attempted === '') return undefined;
  return attempted !== app.lastAppliedRevision ? attempted : undefined;
}

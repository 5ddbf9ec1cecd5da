/** The GitOps applications the GitOps rules read (part `gitops`): Argo CD Applications and Flux Kustomizations and HelmReleases, normalized to one shape. */

/** Which controller reconciles an app, and so which of its fields mean what. */
export type GitOpsController = 'argocd' | 'flux-kustomization' | 'flux-helmrelease';

/** The Kubernetes kind each controller's object has, for subjects and messages. */
export const GITOPS_KINDS: Readonly<Record<GitOpsController, string>> = {
  argocd: 'Application',
  'flux-kustomization': 'Kustomization',
  'flux-helmrelease': 'HelmRelease',
};

/** A Flux `Ready` condition, or the readiness an Argo CD Application never has (absent). */
export interface GitOpsReady {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  /** When the condition last changed status: how long it has held. */
  readonly since?: string;
}

/** Argo CD's `status.operationState`: the last (or running) sync operation. */
export interface GitOpsOperation {
  /** Running | Succeeded | Failed | Error | Terminating. */
  readonly phase: string;
  readonly message?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

/** One Argo CD `status.conditions` entry (they carry no status: present means it holds). */
export interface GitOpsAppCondition {
  readonly type: string;
  readonly message?: string;
  readonly since?: string;
}

/** One GitOps-managed app: an Argo CD Application, a Flux Kustomization or a Flux HelmRelease. */
export interface GitOpsApp {
  readonly controller: GitOpsController;
  readonly namespace: string;
  readonly name: string;
  /** Argo CD `status.sync.status`: Synced | OutOfSync | Unknown. */
  readonly sync?: string;
  /** Argo CD `status.health.status`: Healthy | Progressing | Degraded | Suspended | Missing | Unknown. */
  readonly health?: string;
  /** Argo CD `status.health.lastTransitionTime`, when the version sets it. */
  readonly healthSince?: string;
  /** Argo CD `status.health.message` (older versions only). */
  readonly healthMessage?: string;
  /** Flux's `Ready` condition. */
  readonly ready?: GitOpsReady;
  /** Flux `spec.suspend`; always false for Argo CD, which has no such switch. */
  readonly suspended: boolean;
  /**
   * When reconciliation was last switched off, at the latest: the time of the managedFields entry
   * that owns `spec.suspend` (a later write by the same manager moves it on, so it never overstates).
   */
  readonly suspendedSince?: string;
  /** Argo CD `spec.syncPolicy.automated` is set: Argo CD syncs by itself. */
  readonly automated?: boolean;
  /** Flux `status.lastAppliedRevision` (HelmRelease v2: the chart version of the deployed release). */
  readonly lastAppliedRevision?: string;
  /** Flux `status.lastAttemptedRevision`. */
  readonly lastAttemptedRevision?: string;
  /** Argo CD `status.sync.revision`: the Git revision the comparison was made against. */
  readonly revision?: string;
  /** Argo CD `status.operationState`. */
  readonly operation?: GitOpsOperation;
  /** Argo CD `status.reconciledAt`: when the app was last compared with Git. */
  readonly reconciledAt?: string;
  /** Argo CD `status.conditions` (errors and warnings about the app itself). */
  readonly conditions: readonly GitOpsAppCondition[];
  readonly createdAt?: string;
}

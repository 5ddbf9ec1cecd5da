/**
 * Argo CD Applications and Flux Kustomizations and HelmReleases normalized to GitOpsApp, and the
 * `gitops` part's status from their three lists: a CRD that is not installed means no such
 * controller, never a read failure, and a cluster with none of them is not applicable.
 */
import type {
  GitOpsApp,
  GitOpsAppCondition,
  GitOpsController,
  GitOpsOperation,
  GitOpsReady,
  PartStatus,
  ReadFailure,
} from '../../rules/model';
import type { GitOpsList, KubeObjects, ListStatus } from './objects';
import { GITOPS_LISTS } from './objects';
import type { Raw } from './raw';
import { arr, at, bool, isRecord, str } from './raw';

/** The controller behind each GitOps list. */
export const GITOPS_CONTROLLERS: Readonly<Record<GitOpsList, GitOpsController>> = {
  applications: 'argocd',
  kustomizations: 'flux-kustomization',
  helmreleases: 'flux-helmrelease',
};

/** The kind, API group and served versions (newest first) of each GitOps list. */
export const GITOPS_RESOURCES: Readonly<
  Record<GitOpsList, { kind: string; group: string; versions: readonly string[] }>
> = {
  applications: { kind: 'Application', group: 'argoproj.io', versions: ['v1alpha1'] },
  kustomizations: {
    kind: 'Kustomization',
    group: 'kustomize.toolkit.fluxcd.io',
    versions: ['v1'],
  },
  // Flux 2.3 made v2 the served version; clusters on older Flux serve v2beta2 only.
  helmreleases: {
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    versions: ['v2', 'v2beta2'],
  },
};

/** Every GitOps object of a collection as GitOpsApps. */
export function normalizeGitOps(objects: KubeObjects): GitOpsApp[] {
  return GITOPS_LISTS.flatMap((list) =>
    objects[list].map((raw) => normalizeGitOpsApp(GITOPS_CONTROLLERS[list], raw)),
  );
}

/** One Application, Kustomization or HelmRelease as a GitOpsApp. */
export function normalizeGitOpsApp(controller: GitOpsController, raw: Raw): GitOpsApp {
  const base = {
    controller,
    namespace: str(raw, 'metadata', 'namespace') ?? 'default',
    name: str(raw, 'metadata', 'name') ?? '',
    ...optional('createdAt', str(raw, 'metadata', 'creationTimestamp')),
  };
  if (controller === 'argocd') {
    return {
      ...base,
      ...optional('sync', str(raw, 'status', 'sync', 'status')),
      ...optional('revision', argoRevision(raw)),
      ...optional('health', str(raw, 'status', 'health', 'status')),
      ...optional('healthSince', str(raw, 'status', 'health', 'lastTransitionTime')),
      ...optional('healthMessage', str(raw, 'status', 'health', 'message')),
      suspended: false,
      automated: isRecord(at(raw, 'spec', 'syncPolicy', 'automated')),
      ...optional('operation', operationOf(at(raw, 'status', 'operationState'))),
      ...optional('reconciledAt', str(raw, 'status', 'reconciledAt')),
      conditions: arr(raw, 'status', 'conditions').flatMap(argoCondition),
    };
  }
  const suspended = bool(raw, 'spec', 'suspend') === true;
  return {
    ...base,
    ...optional('ready', readyOf(raw)),
    suspended,
    ...optional('suspendedSince', suspended ? suspendWrittenAt(raw) : undefined),
    ...optional('lastAppliedRevision', appliedRevision(controller, raw)),
    ...optional('lastAttemptedRevision', str(raw, 'status', 'lastAttemptedRevision')),
    conditions: [],
  };
}

/** The `gitops` part: collected when any controller was read, not applicable when none is installed. */
export function gitopsPart(lists: Readonly<Record<GitOpsList, ListStatus>>): PartStatus {
  const states = GITOPS_LISTS.map((list) => ({ list, status: lists[list] }));
  const missing = states.filter((s) => s.status.state === 'missing');
  if (missing.length > 0) {
    const failures: ReadFailure[] = missing.flatMap((m) =>
      m.status.state === 'missing' ? (m.status.failures ?? []) : [],
    );
    return {
      state: 'missing',
      // The files source gives every list the same reason; it is said once.
      reason: [
        ...new Set(missing.map((m) => (m.status.state === 'missing' ? m.status.reason : ''))),
      ].join('; '),
      ...(failures.length > 0 ? { failures } : {}),
    };
  }
  if (states.every((s) => s.status.state === 'notInstalled')) {
    return {
      state: 'notObservable',
      reason:
        'not applicable: no GitOps controller in the cluster (none of the Argo CD Application, Flux Kustomization and HelmRelease CRDs is installed)',
    };
  }
  return { state: 'collected' };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// Multi-source Applications report one revision per source.
function argoRevision(raw: Raw): string | undefined {
  const single = str(raw, 'status', 'sync', 'revision');
  if (single !== undefined) return single;
  const many = arr(raw, 'status', 'sync', 'revisions').filter(
    (r): r is string => typeof r === 'string',
  );
  return many.length > 0 ? many.join(',') : undefined;
}

function operationOf(value: unknown): GitOpsOperation | undefined {
  const phase = str(value, 'phase');
  if (phase === undefined) return undefined;
  return {
    phase,
    ...optional('message', str(value, 'message')),
    ...optional('startedAt', str(value, 'startedAt')),
    ...optional('finishedAt', str(value, 'finishedAt')),
  };
}

function argoCondition(value: unknown): GitOpsAppCondition[] {
  const type = str(value, 'type');
  if (type === undefined) return [];
  return [
    {
      type,
      ...optional('message', str(value, 'message')),
      ...optional('since', str(value, 'lastTransitionTime')),
    },
  ];
}

function readyOf(raw: Raw): GitOpsReady | undefined {
  const ready = arr(raw, 'status', 'conditions').find((c) => str(c, 'type') === 'Ready');
  const status = str(ready, 'status');
  if (status !== 'True' && status !== 'False' && status !== 'Unknown') return undefined;
  return {
    status,
    ...optional('reason', str(ready, 'reason')),
    ...optional('message', str(ready, 'message')),
    ...optional('since', str(ready, 'lastTransitionTime')),
  };
}

/** lastAppliedRevision; for a HelmRelease v2, the chart version of the release Helm last deployed. */
function appliedRevision(controller: GitOpsController, raw: Raw): string | undefined {
  const applied = str(raw, 'status', 'lastAppliedRevision');
  if (applied !== undefined || controller !== 'flux-helmrelease') return applied;
  const [latest] = arr(raw, 'status', 'history');
  return str(latest, 'status') === 'deployed' ? str(latest, 'chartVersion') : undefined;
}

/**
 * The latest managedFields time of a manager that owns `spec.suspend`: no earlier than when the
 * suspension began (the same manager's later writes move it on), so a finding never overstates.
 */
function suspendWrittenAt(raw: Raw): string | undefined {
  const times = arr(raw, 'metadata', 'managedFields')
    .filter((m) => at(m, 'fieldsV1', 'f:spec', 'f:suspend') !== undefined)
    .map((m) => str(m, 'time'))
    .filter((t): t is string => t !== undefined && !Number.isNaN(Date.parse(t)));
  if (times.length === 0) return undefined;
  return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

/** `--from-file` input of Argo CD and Flux objects: read by kind and API group into the `gitops` part. */
import { snapshotOf } from '../../../support/evaluate';

const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1' },
  status: { nodeInfo: { kubeletVersion: 'v1.30.4' } },
};

const application = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'shop', namespace: 'argocd' },
  spec: { syncPolicy: { automated: { prune: true } } },
  status: {
    sync: { status: 'OutOfSync', revision: 'abc' },
    health: { status: 'Healthy' },
    operationState: { phase: 'Failed', message: 'boom', startedAt: '2026-11-21T09:00:00Z' },
    reconciledAt: '2026-11-21T11:58:00Z',
  },
};

const fluxKustomization = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: {
    name: 'apps',
    namespace: 'flux-system',
    managedFields: [
      {
        manager: 'flux',
        operation: 'Update',
        time: '2026-11-01T00:00:00Z',
        fieldsV1: { 'f:spec': { 'f:suspend': {} } },
      },
      {
        manager: 'kustomize-controller',
        operation: 'Update',
        time: '2026-11-20T00:00:00Z',
        fieldsV1: { 'f:status': {} },
      },
    ],
  },
  spec: { suspend: true },
  status: {
    lastAppliedRevision: 'main@sha1:1',
    lastAttemptedRevision: 'main@sha1:2',
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'BuildFailed',
        lastTransitionTime: '2026-11-21T10:00:00Z',
      },
    ],
  },
};

// kustomize's own kustomization.yaml shares the kind, not the API group.
const kustomizeConfig = {
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
  metadata: { name: 'base' },
  resources: ['deployment.yaml'],
};

describe('GitOps objects from --from-file', () => {
  it('normalizes Argo CD Applications and Flux Kustomizations', () => {
    const snapshot = snapshotOf([
      node,
      { apiVersion: 'v1', kind: 'List', items: [application, fluxKustomization] },
    ]);
    expect(snapshot.parts.gitops).toEqual({ state: 'collected' });
    expect(snapshot.gitops).toEqual([
      {
        controller: 'argocd',
        namespace: 'argocd',
        name: 'shop',
        sync: 'OutOfSync',
        revision: 'abc',
        health: 'Healthy',
        suspended: false,
        automated: true,
        operation: { phase: 'Failed', message: 'boom', startedAt: '2026-11-21T09:00:00Z' },
        reconciledAt: '2026-11-21T11:58:00Z',
        conditions: [],
      },
      {
        controller: 'flux-kustomization',
        namespace: 'flux-system',
        name: 'apps',
        ready: { status: 'False', reason: 'BuildFailed', since: '2026-11-21T10:00:00Z' },
        suspended: true,
        // Only the manager that owns spec.suspend dates the suspension.
        suspendedSince: '2026-11-01T00:00:00Z',
        lastAppliedRevision: 'main@sha1:1',
        lastAttemptedRevision: 'main@sha1:2',
        conditions: [],
      },
    ]);
  });

  it("ignores kustomize's own Kustomization, with a note", () => {
    const snapshot = snapshotOf([node, kustomizeConfig, application]);
    expect(snapshot.gitops?.map((a) => a.name)).toEqual(['shop']);
    expect(snapshot.notes.join('\n')).toContain('ignored 1 Kustomization object');
  });

  it('marks the part missing, with the kubectl command, when the input has no GitOps objects', () => {
    const snapshot = snapshotOf([node, kustomizeConfig]);
    expect(snapshot.parts.gitops).toMatchObject({
      state: 'missing',
      reason: expect.stringContaining(
        'add `kubectl get applications.argoproj.io -A -o json`, `kubectl get kustomizations.kustomize.toolkit.fluxcd.io -A -o json`',
      ) as unknown,
    });
    expect(snapshot.gitops).toBeUndefined();
  });
});

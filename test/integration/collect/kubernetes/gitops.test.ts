/**
 * The live read of the GitOps controllers' objects against the test API server: one list per kind
 * whatever the cluster holds, a CRD that is not installed read as "not applicable" (rules
 * skipped, never passed), a 403 kept as a read failure naming the grant.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectFromKubernetes } from '../../../../lib/collect/kubernetes/collect';
import { connect } from '../../../../lib/collect/kubernetes/connect';
import { savedDocuments } from '../../../../lib/collect/files/save';
import { snapshotOf, NOW } from '../../../support/evaluate';
import type { KubeApiServerOptions } from '../../../support/kube-api-server';
import { startKubeApiServer } from '../../../support/kube-api-server';
import { clusterDocuments } from '../../../support/kube-objects';
import { DEFAULT_POLICY, evaluate } from '../../../../lib/rules';

const FIXTURES = join(__dirname, '../../../fixtures/rules');

/** The items of a rule fixture's first list document. */
function fixtureItems(rule: string, file: string): unknown[] {
  const fixture = JSON.parse(readFileSync(join(FIXTURES, rule, file), 'utf8')) as {
    documents: { items: unknown[] }[];
  };
  return fixture.documents.flatMap((d) => d.items);
}

const [VERSION, ...CLUSTER] = clusterDocuments({
  serverVersion: 'v1.30.4',
  kubelets: { n1: 'v1.30.4' },
}) as [Record<string, unknown>, ...unknown[]];

const GITOPS_OBJECTS = [
  ...fixtureItems('GitOpsOutOfSync', 'fires.argocd-failed-sync-3h.json'),
  ...fixtureItems('GitOpsOutOfSync', 'fires.flux-kustomization-unapplied-3h.json'),
  ...fixtureItems('GitOpsSyncFailed', 'fires.flux-helmrelease-upgrade-failed.json'),
];

async function collectFrom(options: KubeApiServerOptions) {
  const server = await startKubeApiServer({
    version: VERSION['serverVersion'] as Record<string, unknown>,
    ...options,
    objects: [...CLUSTER, ...(options.objects ?? [])],
  });
  const target = await connect({
    kind: 'token',
    server: server.url,
    token: server.token,
    caPem: server.caPem,
  });
  try {
    const collection = await collectFromKubernetes({
      cluster: 'live',
      target,
      collectedAt: () => new Date(NOW).toISOString(),
    });
    const gitopsRequests = server.requests
      .map((r) => r.path)
      .filter((p) => /argoproj|fluxcd/.test(p))
      .sort();
    return { ...collection, gitopsRequests };
  } finally {
    target.agent.destroy();
    await server.stop();
  }
}

describe('GitOps objects from the live API', () => {
  it('lists each installed kind once and feeds the GitOps rules', async () => {
    const { snapshot, objects, gitopsRequests } = await collectFrom({
      crds: ['Application', 'Kustomization', 'HelmRelease'],
      objects: GITOPS_OBJECTS,
    });
    expect(gitopsRequests).toEqual([
      '/apis/argoproj.io/v1alpha1/applications',
      '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
      '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
    ]);
    expect(snapshot.parts.gitops).toEqual({ state: 'collected' });
    expect(snapshot.gitops?.map((a) => `${a.controller} ${a.namespace}/${a.name}`).sort()).toEqual([
      'argocd argocd/shop',
      'flux-helmrelease ingress/ingress-nginx',
      'flux-kustomization flux-system/apps',
    ]);
    const hr = snapshot.gitops?.find((a) => a.controller === 'flux-helmrelease');
    // HelmRelease v2 has no lastAppliedRevision: the deployed release in history says 4.11.3.
    expect(hr).toMatchObject({ lastAttemptedRevision: '4.12.0', ready: { status: 'False' } });
    const { findings } = evaluate(snapshot, DEFAULT_POLICY, NOW);
    expect(findings.filter((f) => f.ruleId === 'GitOpsOutOfSync')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subject: { kind: 'Application', namespace: 'argocd', name: 'shop' },
          since: '2026-11-21T09:00:00Z',
        }),
      ]),
    );
    // The slim objects replay through --from-file to the same GitOps apps.
    const replayed = snapshotOf(savedDocuments(objects), 'live');
    expect(replayed.gitops).toEqual(snapshot.gitops);
  });

  it('reads a cluster without Argo CD or Flux as not applicable, in a fixed number of requests', async () => {
    const { snapshot, gitopsRequests } = await collectFrom({});
    // HelmRelease tries v2, then v2beta2 for Flux before 2.3: four requests whatever the size.
    expect(gitopsRequests).toEqual([
      '/apis/argoproj.io/v1alpha1/applications',
      '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
      '/apis/helm.toolkit.fluxcd.io/v2beta2/helmreleases',
      '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
    ]);
    expect(snapshot.parts.gitops).toMatchObject({
      state: 'notObservable',
      reason: expect.stringContaining('not applicable: no GitOps controller') as unknown,
    });
    expect(snapshot.gitops).toBeUndefined();
    const { coverage } = evaluate(snapshot, DEFAULT_POLICY, NOW);
    for (const id of ['GitOpsOutOfSync', 'GitOpsSyncFailed', 'GitOpsDegraded', 'GitOpsSuspended'])
      expect(coverage.find((c) => c.ruleId === id)).toMatchObject({
        status: 'skipped',
        unmet: [{ part: 'gitops', state: 'notObservable' }],
      });
    // The rest of the catalogue still runs.
    expect(coverage.find((c) => c.ruleId === 'KubeletVersionSkew')).toEqual({
      ruleId: 'KubeletVersionSkew',
      status: 'evaluated',
    });
  });

  it('checks the installed controller alone when only Argo CD is there', async () => {
    const { snapshot } = await collectFrom({
      crds: ['Application'],
      objects: fixtureItems('GitOpsOutOfSync', 'fires.argocd-failed-sync-3h.json'),
    });
    expect(snapshot.parts.gitops).toEqual({ state: 'collected' });
    expect(snapshot.gitops?.map((a) => a.controller)).toEqual(['argocd']);
  });

  it('keeps a 403 as a read failure that names the grant, and skips the rules', async () => {
    const { snapshot } = await collectFrom({
      crds: ['Application', 'Kustomization', 'HelmRelease'],
      objects: GITOPS_OBJECTS,
      deny: ['applications'],
    });
    const part = snapshot.parts.gitops;
    expect(part).toMatchObject({
      state: 'missing',
      reason: expect.stringContaining(
        'grant list on applications (API group argoproj.io)',
      ) as unknown,
      failures: [{ source: 'kubernetes', kind: 'forbidden' }],
    });
    expect(part?.state === 'missing' ? part.reason : '').toContain(
      'deploy/rbac/skewguard-reader.yaml',
    );
    const { coverage } = evaluate(snapshot, DEFAULT_POLICY, NOW);
    expect(coverage.find((c) => c.ruleId === 'GitOpsDegraded')).toMatchObject({
      status: 'skipped',
      unmet: [{ part: 'gitops', state: 'missing' }],
    });
  });
});

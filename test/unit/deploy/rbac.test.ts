/**
 * deploy/rbac/skewguard-reader.yaml grants the live collector exactly what it reads and nothing
 * that could write or leak: the needed permissions are derived from the requests the collector
 * really sends (to the Kubernetes API test server), mapped to RBAC the way the API server does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { collectFromKubernetes } from '../../../lib/collect/kubernetes/collect';
import { connect } from '../../../lib/collect/kubernetes/connect';
import { NOW } from '../../support/evaluate';
import { startKubeApiServer } from '../../support/kube-api-server';
import { clusterDocuments } from '../../support/kube-objects';

const FILE = join(__dirname, '../../../deploy/rbac/skewguard-reader.yaml');
const ROLE_NAME = 'skewguard-reader';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly rules?: readonly PolicyRule[];
  readonly roleRef?: { readonly apiGroup: string; readonly kind: string; readonly name: string };
  readonly subjects?: readonly Readonly<Record<string, string>>[];
}

function manifests(): Manifest[] {
  const documents = parseAllDocuments(readFileSync(FILE, 'utf8'));
  for (const document of documents) expect(document.errors).toEqual([]);
  return documents.map((document) => document.toJS() as Manifest);
}

/** `group resource verb` or `nonResourceURL path verb`: one permission as RBAC checks it. */
function grants(rule: PolicyRule): string[] {
  const out: string[] = [];
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs ?? []) out.push(`nonResourceURL ${url} ${verb}`);
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? [])
        out.push(`${group || 'core'} ${resource} ${verb}`);
  }
  return out;
}

/**
 * The permission a GET needs, resolved as k8s.io/apiserver's RequestInfoFactory does:
 * /api/v1 or /apis/<group>/<version>, then optional namespaces/<ns>, then
 * <resource>[/<name>[/<subresource>]]; no name is a list (or watch), a name is a get.
 */
function permissionOf(path: string, query: Readonly<Record<string, string>>): string {
  const parts = path.split('/').filter((p) => p !== '');
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) [group, rest] = ['core', parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 4) [group, rest] = [parts[1]!, parts.slice(3)];
  else return `nonResourceURL ${path} get`;
  if (rest[0] === 'namespaces' && rest.length > 2) rest = rest.slice(2);
  const [resource, name, subresource] = rest;
  const verb = name !== undefined ? 'get' : query['watch'] === 'true' ? 'watch' : 'list';
  return `${group} ${subresource ? `${resource}/${subresource}` : resource} ${verb}`;
}

/** Everything the live collector requested from an EKS cluster with one unhealthy Deployment. */
async function permissionsTheCollectorUses(): Promise<string[]> {
  const [versionDoc, ...objects] = clusterDocuments({
    serverVersion: 'v1.30.4-eks-a737599',
    apiservers: { cp1: 'v1.30.4' },
    kubelets: { 'ip-10-0-1-10': 'v1.30.4-eks-59bf375' },
    kubeProxies: { 'ip-10-0-1-10': 'v1.30.0-minimal-eksbuild.1' },
  }) as [Record<string, unknown>, ...unknown[]];
  // Unhealthy, so its ReplicaSets and pods get the targeted reads too.
  const stuck = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', generation: 2 },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
    status: { observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1 },
  };
  const server = await startKubeApiServer({
    objects: [...objects, stuck],
    version: versionDoc['serverVersion'] as Record<string, unknown>,
  });
  const target = await connect({
    kind: 'token',
    server: server.url,
    token: server.token,
    caPem: server.caPem,
  });
  try {
    await collectFromKubernetes({
      cluster: 'rbac',
      target,
      collectedAt: () => new Date(NOW).toISOString(),
      // As when no Prometheus is configured: the deprecated APIs come from /metrics.
      deprecatedApis: true,
      // With drift manifests, HorizontalPodAutoscalers are listed too.
      manifests: {
        origin: 'rendered',
        desired: [
          {
            kind: 'Deployment',
            namespace: 'shop',
            name: 'web',
            file: 'web.yaml',
            namespaceDefaulted: false,
          },
        ],
        notes: [],
      },
    });
    return [...new Set(server.requests.map((r) => permissionOf(r.path, r.query)))].sort();
  } finally {
    target.agent.destroy();
    await server.stop();
  }
}

describe('deploy/rbac/skewguard-reader.yaml', () => {
  const all = manifests();
  const roles = all.filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role');
  const role = roles.find((m) => m.kind === 'ClusterRole' && m.metadata.name === ROLE_NAME);
  const rules = role?.rules ?? [];

  it('defines one role, the ClusterRole skewguard-reader, with rules', () => {
    expect(roles.map((m) => `${m.kind} ${m.metadata.name}`)).toEqual([`ClusterRole ${ROLE_NAME}`]);
    expect(rules.length).toBeGreaterThan(0);
  });

  it('grants only read verbs, no wildcards, and no secrets or configmaps', () => {
    for (const rule of rules) {
      expect(rule.verbs.length).toBeGreaterThan(0);
      for (const verb of rule.verbs) expect(['get', 'list', 'watch']).toContain(verb);
      const names = [
        ...rule.verbs,
        ...(rule.apiGroups ?? []),
        ...(rule.resources ?? []),
        ...(rule.nonResourceURLs ?? []),
      ];
      expect(names.filter((n) => n.includes('*'))).toEqual([]);
      const resources = (rule.resources ?? []).map((r) => r.split('/')[0]);
      expect(resources).not.toContain('secrets');
      expect(resources).not.toContain('configmaps');
    }
  });

  it('grants exactly the permissions the live collector uses', async () => {
    const used = await permissionsTheCollectorUses();
    // The reads lib/collect/kubernetes.ts is documented to make, so a fixture that stopped
    // reaching one of them cannot shrink what is checked.
    expect(used).toEqual(
      expect.arrayContaining([
        'core nodes list',
        'core pods list',
        'apps deployments list',
        'apps statefulsets list',
        'apps daemonsets list',
        'apps replicasets list',
        'argoproj.io applications list',
        'kustomize.toolkit.fluxcd.io kustomizations list',
        'helm.toolkit.fluxcd.io helmreleases list',
        'autoscaling horizontalpodautoscalers list',
        'metrics.eks.amazonaws.com kcm/metrics get',
        'metrics.eks.amazonaws.com ksh/metrics get',
        'nonResourceURL /metrics get',
      ]),
    );
    expect([...new Set(rules.flatMap(grants))].sort()).toEqual(used);
  });

  it('binds the role to the group skewguard-readers, and every binding to that role only', () => {
    const bindings = all.filter((m) => m.kind === 'ClusterRoleBinding' || m.kind === 'RoleBinding');
    expect(bindings.length).toBeGreaterThan(0);
    for (const binding of bindings)
      expect(binding.roleRef).toEqual({
        apiGroup: RBAC_GROUP,
        kind: 'ClusterRole',
        name: ROLE_NAME,
      });
    expect(
      bindings.flatMap((b) => (b.kind === 'ClusterRoleBinding' ? b.subjects : [])),
    ).toContainEqual({ apiGroup: RBAC_GROUP, kind: 'Group', name: 'skewguard-readers' });
  });
});

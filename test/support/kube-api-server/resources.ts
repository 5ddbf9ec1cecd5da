/**
 * The resource types the test API server knows, and the documents that describe them to clients:
 * discovery (so real kubectl can map kinds to paths) and `/version`.
 */
import { versionOutput } from '../kube-objects';
import type { KubeApiServerOptions } from './types';

/** One served resource type, as its registry and discovery describe it. */
export interface ResourceType {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly group: string;
  /** The one version served (v1 for the built-in types). */
  readonly version: string;
  /** A custom resource: served only when the server's `crds` option installs it. */
  readonly crd?: true;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  /** Field selectors beyond metadata.name/metadata.namespace, as the real registry allows. */
  readonly fields: readonly string[];
}

// As the pod registry's field-selector conversion allows (k8s.io/kubernetes pkg/apis/core/v1).
const POD_FIELDS = [
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
];

/** Every type the server serves: the ones the live collector lists or gets. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  core('Node', 'nodes', false, ['no'], ['spec.unschedulable']),
  core('Namespace', 'namespaces', false, ['ns'], ['status.phase']),
  core('Pod', 'pods', true, ['po'], POD_FIELDS),
  apps('Deployment', 'deployments', ['deploy'], []),
  apps('StatefulSet', 'statefulsets', ['sts'], []),
  apps('DaemonSet', 'daemonsets', ['ds'], []),
  apps('ReplicaSet', 'replicasets', ['rs'], ['status.replicas']),
  crd('Application', 'applications', 'argoproj.io', 'v1alpha1', ['app', 'apps']),
  crd('Kustomization', 'kustomizations', 'kustomize.toolkit.fluxcd.io', 'v1', ['ks']),
  crd('HelmRelease', 'helmreleases', 'helm.toolkit.fluxcd.io', 'v2', ['hr']),
  // Listed only for drift against manifests, as autoscaling/v2.
  {
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    group: 'autoscaling',
    version: 'v2',
    namespaced: true,
    shortNames: ['hpa'],
    fields: [],
  },
];

/** The custom resource kinds the server can install (option `crds`). */
export type CrdKind = 'Application' | 'Kustomization' | 'HelmRelease';

/** The types served when `crds` are installed: every built-in one and those custom resources. */
export function servedTypes(crds: readonly string[]): ResourceType[] {
  return RESOURCE_TYPES.filter((r) => !r.crd || crds.includes(r.kind));
}

function crd(
  kind: string,
  plural: string,
  group: string,
  version: string,
  shortNames: string[],
): ResourceType {
  const singular = kind.toLowerCase();
  return {
    kind,
    plural,
    singular,
    group,
    version,
    crd: true,
    namespaced: true,
    shortNames,
    fields: [],
  };
}

function core(
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[],
  fields: string[],
): ResourceType {
  const singular = kind.toLowerCase();
  return { kind, plural, singular, group: '', version: 'v1', namespaced, shortNames, fields };
}

function apps(kind: string, plural: string, shortNames: string[], fields: string[]): ResourceType {
  const singular = kind.toLowerCase();
  return {
    kind,
    plural,
    singular,
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames,
    fields,
  };
}

/** The served types by kind. */
export const BY_KIND = new Map(RESOURCE_TYPES.map((r) => [r.kind, r]));

/** `v1` or `apps/v1`: the apiVersion objects of a type carry. */
export const groupVersionOf = (r: ResourceType): string =>
  r.group ? `${r.group}/${r.version}` : r.version;

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `deployments.apps`, `pods`: how the API server names a resource in messages. */
export function qualified(resource: ResourceType): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

/** The `details` of a Status about one resource (or one object of it). */
export function resourceDetails(resource: ResourceType, name?: string): Record<string, unknown> {
  return {
    ...(name !== undefined ? { name } : {}),
    ...(resource.group ? { group: resource.group } : {}),
    kind: resource.plural,
  };
}

/** One entry of an APIResourceList: what kubectl reads to map a kind or short name to a path. */
function apiResource(r: ResourceType): Record<string, unknown> {
  return {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    // Honest verbs: this server only reads.
    verbs: ['get', 'list'],
    shortNames: r.shortNames,
    ...(r.kind === 'Node' || r.kind === 'Namespace' ? {} : { categories: ['all'] }),
  };
}

/** The discovery documents by path, for a server reachable at `hostPort`. */
export function discoveryDocuments(
  hostPort: string,
  served: readonly ResourceType[] = servedTypes([]),
): Map<string, unknown> {
  const groupOf = (name: string, version: string): Record<string, unknown> => ({
    name,
    versions: [{ groupVersion: `${name}/${version}`, version }],
    preferredVersion: { groupVersion: `${name}/${version}`, version },
  });
  const appsGroup = groupOf('apps', 'v1');
  const resourceList = (group: string, groupVersion: string): Record<string, unknown> => ({
    kind: 'APIResourceList',
    ...(group ? { apiVersion: 'v1' } : {}),
    groupVersion,
    resources: served.filter((r) => r.group === group).map(apiResource),
  });
  const crds = served.filter((r) => r.crd);
  return new Map<string, unknown>([
    [
      '/api',
      {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: hostPort }],
      },
    ],
    [
      '/apis',
      {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [appsGroup, ...crds.map((r) => groupOf(r.group, r.version))],
      },
    ],
    ['/apis/apps', { kind: 'APIGroup', apiVersion: 'v1', ...appsGroup }],
    ['/api/v1', resourceList('', 'v1')],
    ['/apis/apps/v1', resourceList('apps', 'apps/v1')],
    ...crds.flatMap((r): [string, unknown][] => [
      [`/apis/${r.group}`, { kind: 'APIGroup', apiVersion: 'v1', ...groupOf(r.group, r.version) }],
      [`/apis/${groupVersionOf(r)}`, resourceList(r.group, groupVersionOf(r))],
    ]),
  ]);
}

/** The `/version` body: the `serverVersion` block of `kubectl version -o json`, or one made up. */
export function versionInfo(version: KubeApiServerOptions['version']): Record<string, unknown> {
  if (isRecord(version)) {
    // `kubectl version -o json` output carries the server's block under serverVersion.
    return isRecord(version.serverVersion) ? version.serverVersion : { ...version };
  }
  return versionOutput(version ?? 'v1.30.4').serverVersion;
}

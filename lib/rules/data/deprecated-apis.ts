/** Removed Kubernetes API versions and what replaces them, one row per group/version/resource (like pluto's versions.yaml). */
import type { DataTable } from './table';

/** One API version of one resource that a release removed. */
export interface DeprecatedApiRow {
  /** API group, `''` for core. */
  readonly group: string;
  readonly version: string;
  /** Plural resource, as `apiserver_requested_deprecated_apis` labels it. */
  readonly resource: string;
  readonly kind: string;
  /** Minor it was deprecated in. */
  readonly deprecatedIn: string;
  /** Minor that stopped serving it. */
  readonly removedIn: string;
  /** group/version to use instead; absent when the API was dropped without a successor. */
  readonly replacement?: string;
  /** What to do when there is no replacement. */
  readonly note?: string;
}

/** Where the rows come from and when they were checked. */
export const DEPRECATED_APIS_TABLE: DataTable = {
  name: 'Deprecated API replacements',
  madeOn: '2026-12-07',
  coversUntil: '2027-04-07',
  sources: [
    {
      title: 'Kubernetes Deprecated API Migration Guide',
      url: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
    },
    {
      title: 'pluto versions.yaml (cross-check)',
      url: 'https://github.com/FairwindsOps/pluto/blob/master/versions.yaml',
    },
  ],
  update:
    'Update skewguard; maintainers add the removals of new releases to lib/rules/data/deprecated-apis.ts from the migration guide.',
};

const row = (
  group: string,
  version: string,
  resource: string,
  kind: string,
  deprecatedIn: string,
  removedIn: string,
  replacement?: string,
  note?: string,
): DeprecatedApiRow => ({
  group,
  version,
  resource,
  kind,
  deprecatedIn,
  removedIn,
  ...(replacement !== undefined ? { replacement } : {}),
  ...(note !== undefined ? { note } : {}),
});

/** Every removal of a GA-track API the migration guide lists, by removal release (one row a line). */
// prettier-ignore
export const DEPRECATED_APIS: readonly DeprecatedApiRow[] = [
  // 1.16
  row('extensions', 'v1beta1', 'deployments', 'Deployment', '1.9', '1.16', 'apps/v1'),
  row('extensions', 'v1beta1', 'daemonsets', 'DaemonSet', '1.9', '1.16', 'apps/v1'),
  row('extensions', 'v1beta1', 'replicasets', 'ReplicaSet', '1.9', '1.16', 'apps/v1'),
  row('extensions', 'v1beta1', 'networkpolicies', 'NetworkPolicy', '1.9', '1.16', 'networking.k8s.io/v1'),
  row('extensions', 'v1beta1', 'podsecuritypolicies', 'PodSecurityPolicy', '1.10', '1.16', 'policy/v1beta1'),
  row('apps', 'v1beta1', 'deployments', 'Deployment', '1.9', '1.16', 'apps/v1'),
  row('apps', 'v1beta1', 'statefulsets', 'StatefulSet', '1.9', '1.16', 'apps/v1'),
  row('apps', 'v1beta2', 'deployments', 'Deployment', '1.9', '1.16', 'apps/v1'),
  row('apps', 'v1beta2', 'statefulsets', 'StatefulSet', '1.9', '1.16', 'apps/v1'),
  row('apps', 'v1beta2', 'daemonsets', 'DaemonSet', '1.9', '1.16', 'apps/v1'),
  row('apps', 'v1beta2', 'replicasets', 'ReplicaSet', '1.9', '1.16', 'apps/v1'),
  // 1.22
  row('admissionregistration.k8s.io', 'v1beta1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', '1.16', '1.22', 'admissionregistration.k8s.io/v1'),
  row('admissionregistration.k8s.io', 'v1beta1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', '1.16', '1.22', 'admissionregistration.k8s.io/v1'),
  row('apiextensions.k8s.io', 'v1beta1', 'customresourcedefinitions', 'CustomResourceDefinition', '1.16', '1.22', 'apiextensions.k8s.io/v1'),
  row('apiregistration.k8s.io', 'v1beta1', 'apiservices', 'APIService', '1.19', '1.22', 'apiregistration.k8s.io/v1'),
  row('authentication.k8s.io', 'v1beta1', 'tokenreviews', 'TokenReview', '1.19', '1.22', 'authentication.k8s.io/v1'),
  row('authorization.k8s.io', 'v1beta1', 'subjectaccessreviews', 'SubjectAccessReview', '1.19', '1.22', 'authorization.k8s.io/v1'),
  row('authorization.k8s.io', 'v1beta1', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', '1.19', '1.22', 'authorization.k8s.io/v1'),
  row('authorization.k8s.io', 'v1beta1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', '1.19', '1.22', 'authorization.k8s.io/v1'),
  row('certificates.k8s.io', 'v1beta1', 'certificatesigningrequests', 'CertificateSigningRequest', '1.19', '1.22', 'certificates.k8s.io/v1'),
  row('coordination.k8s.io', 'v1beta1', 'leases', 'Lease', '1.19', '1.22', 'coordination.k8s.io/v1'),
  row('extensions', 'v1beta1', 'ingresses', 'Ingress', '1.14', '1.22', 'networking.k8s.io/v1'),
  row('networking.k8s.io', 'v1beta1', 'ingresses', 'Ingress', '1.19', '1.22', 'networking.k8s.io/v1'),
  row('networking.k8s.io', 'v1beta1', 'ingressclasses', 'IngressClass', '1.19', '1.22', 'networking.k8s.io/v1'),
  row('rbac.authorization.k8s.io', 'v1beta1', 'clusterroles', 'ClusterRole', '1.17', '1.22', 'rbac.authorization.k8s.io/v1'),
  row('rbac.authorization.k8s.io', 'v1beta1', 'clusterrolebindings', 'ClusterRoleBinding', '1.17', '1.22', 'rbac.authorization.k8s.io/v1'),
  row('rbac.authorization.k8s.io', 'v1beta1', 'roles', 'Role', '1.17', '1.22', 'rbac.authorization.k8s.io/v1'),
  row('rbac.authorization.k8s.io', 'v1beta1', 'rolebindings', 'RoleBinding', '1.17', '1.22', 'rbac.authorization.k8s.io/v1'),
  row('scheduling.k8s.io', 'v1beta1', 'priorityclasses', 'PriorityClass', '1.14', '1.22', 'scheduling.k8s.io/v1'),
  row('storage.k8s.io', 'v1beta1', 'csidrivers', 'CSIDriver', '1.19', '1.22', 'storage.k8s.io/v1'),
  row('storage.k8s.io', 'v1beta1', 'csinodes', 'CSINode', '1.17', '1.22', 'storage.k8s.io/v1'),
  row('storage.k8s.io', 'v1beta1', 'storageclasses', 'StorageClass', '1.19', '1.22', 'storage.k8s.io/v1'),
  row('storage.k8s.io', 'v1beta1', 'volumeattachments', 'VolumeAttachment', '1.19', '1.22', 'storage.k8s.io/v1'),
  // 1.25
  row('batch', 'v1beta1', 'cronjobs', 'CronJob', '1.21', '1.25', 'batch/v1'),
  row('discovery.k8s.io', 'v1beta1', 'endpointslices', 'EndpointSlice', '1.21', '1.25', 'discovery.k8s.io/v1'),
  row('events.k8s.io', 'v1beta1', 'events', 'Event', '1.19', '1.25', 'events.k8s.io/v1'),
  row('autoscaling', 'v2beta1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', '1.22', '1.25', 'autoscaling/v2'),
  row('policy', 'v1beta1', 'poddisruptionbudgets', 'PodDisruptionBudget', '1.21', '1.25', 'policy/v1'),
  row('policy', 'v1beta1', 'podsecuritypolicies', 'PodSecurityPolicy', '1.21', '1.25', undefined, 'no replacement: move to Pod Security Admission or a policy engine'),
  row('node.k8s.io', 'v1beta1', 'runtimeclasses', 'RuntimeClass', '1.22', '1.25', 'node.k8s.io/v1'),
  // 1.26
  row('flowcontrol.apiserver.k8s.io', 'v1beta1', 'flowschemas', 'FlowSchema', '1.23', '1.26', 'flowcontrol.apiserver.k8s.io/v1beta3 (v1 from 1.29)'),
  row('flowcontrol.apiserver.k8s.io', 'v1beta1', 'prioritylevelconfigurations', 'PriorityLevelConfiguration', '1.23', '1.26', 'flowcontrol.apiserver.k8s.io/v1beta3 (v1 from 1.29)'),
  row('autoscaling', 'v2beta2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', '1.23', '1.26', 'autoscaling/v2'),
  // 1.27
  row('storage.k8s.io', 'v1beta1', 'csistoragecapacities', 'CSIStorageCapacity', '1.24', '1.27', 'storage.k8s.io/v1'),
  // 1.29
  row('flowcontrol.apiserver.k8s.io', 'v1beta2', 'flowschemas', 'FlowSchema', '1.26', '1.29', 'flowcontrol.apiserver.k8s.io/v1'),
  row('flowcontrol.apiserver.k8s.io', 'v1beta2', 'prioritylevelconfigurations', 'PriorityLevelConfiguration', '1.26', '1.29', 'flowcontrol.apiserver.k8s.io/v1'),
  // 1.32
  row('flowcontrol.apiserver.k8s.io', 'v1beta3', 'flowschemas', 'FlowSchema', '1.29', '1.32', 'flowcontrol.apiserver.k8s.io/v1'),
  row('flowcontrol.apiserver.k8s.io', 'v1beta3', 'prioritylevelconfigurations', 'PriorityLevelConfiguration', '1.29', '1.32', 'flowcontrol.apiserver.k8s.io/v1'),
];

/** The row for a group/version/resource, or undefined when the table does not list it. */
export function deprecatedApiRow(
  group: string,
  version: string,
  resource: string,
): DeprecatedApiRow | undefined {
  return DEPRECATED_APIS.find(
    (r) => r.group === group && r.version === version && r.resource === resource,
  );
}

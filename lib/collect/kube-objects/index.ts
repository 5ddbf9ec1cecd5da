/** The Kubernetes object model every source shares: raw objects, their normalizers and the snapshot builder. */
export type { Raw } from './raw';
export { arr, at, isRecord, num, str, strMap } from './raw';
export type { GitOpsList, KubeObjects, ListKind, ListStatus } from './objects';
export { GITOPS_LISTS, perList } from './objects';
export { GITOPS_RESOURCES } from './gitops';
export type { BuildSnapshotInput } from './snapshot';
export { buildSnapshot, failedSnapshot } from './snapshot';
export { AUTOSCALER_FIELDS, project, slimObject } from './fields';
export { NODE_GROUP_LABELS } from './normalize';
export { containerStateOf } from './container-state';
export { workloadOfOwner } from './owners';
export { MANAGED_PLATFORMS, detectProvider, providerOfVersion } from './provider';
export type { AutoscalerRead, DesiredManifests } from './manifests';
export { DRIFT_LISTS } from './manifests';

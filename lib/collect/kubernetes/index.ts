/** The live Kubernetes source: connecting (kubeconfig or EKS IAM), listing with bounded pages, and the collection. */
export type { AwsDeps } from './connect';
export { connect } from './connect';
export { DEFAULT_CONCURRENCY, collectFromKubernetes } from './collect';
export { connectKubeconfigFile } from './kubeconfig-file';

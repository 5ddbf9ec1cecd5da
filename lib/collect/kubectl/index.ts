/** The kubectl family: the client version from `kubectl version` output, and the live CLI's probe of the kubectl on PATH. */
export type { KubectlRead } from './client-version';
export { clientVersionRef, withKubectl } from './client-version';
export type { LocalKubectl, LocalKubectlOptions } from './local';
export { KUBECTL_MAX_OUTPUT_BYTES, KUBECTL_TIMEOUT_MS, readLocalKubectl } from './local';

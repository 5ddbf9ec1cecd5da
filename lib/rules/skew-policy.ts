/**
 * The Kubernetes Version Skew Policy as data (docs/architecture.md, Conventions #3), each row with its source.
 * https://kubernetes.io/releases/version-skew-policy/
 */

/** How many minors a node component (kubelet, kube-proxy) may trail kube-apiserver, from a minor on. */
export interface NodeWindowRow {
  /** The row applies to node components at this minor and newer (until the next row). */
  readonly fromMinor: number;
  readonly window: number;
  readonly source: string;
}

/** Node-component windows, newest rule first. */
export const NODE_COMPONENT_WINDOWS: readonly NodeWindowRow[] = [
  {
    fromMinor: 25,
    window: 3,
    source:
      'Version Skew Policy (1.28+): kubelet and kube-proxy must not be newer than kube-apiserver ' +
      'and may be up to three minor versions older, if they are 1.25 or newer (KEP-3935).',
  },
  {
    fromMinor: 0,
    window: 2,
    source:
      'Version Skew Policy (before 1.28, and still for kubelet/kube-proxy older than 1.25): ' +
      'up to two minor versions older than kube-apiserver.',
  },
];

/** The policy's fixed numbers for the control plane. */
export const CONTROL_PLANE_POLICY = {
  /** Newest and oldest kube-apiserver in an HA cluster may differ by at most this many minors. */
  apiserverHaMaxSkew: 1,
  /** controller-manager, scheduler and cloud-controller-manager may trail the newest apiserver by this much. */
  controllerMaxBehind: 1,
  source:
    'Version Skew Policy: kube-apiserver instances within one minor; kube-controller-manager, ' +
    'kube-scheduler and cloud-controller-manager must not be newer than the kube-apiserver instances ' +
    'they talk to and may be up to one minor older.',
} as const;

/** The allowed lag of a node component at `minor` behind kube-apiserver. */
export function nodeComponentWindow(minor: number): number {
  const row = NODE_COMPONENT_WINDOWS.find((r) => minor >= r.fromMinor);
  // The last row starts at 0, so every non-negative minor has a row.
  return row ? row.window : 2;
}

/** The policy's window for kubectl, which may be older or newer than kube-apiserver. */
export const KUBECTL_POLICY = {
  /** kubectl may be this many minors older or newer than every kube-apiserver it talks to. */
  maxSkew: 1,
  source:
    'Version Skew Policy: kubectl is supported within one minor version (older or newer) of ' +
    'kube-apiserver; with HA kube-apiserver instances at 1.N and 1.N-1, only kubectl 1.N-1 and ' +
    '1.N are within one minor of both.',
} as const;

/** The kubectl minors within the policy's window of every apiserver minor in aMin..aMax (may be empty). */
export function kubectlSupportedMinors(aMin: number, aMax: number): number[] {
  const out: number[] = [];
  for (let m = aMax - KUBECTL_POLICY.maxSkew; m <= aMin + KUBECTL_POLICY.maxSkew; m++) out.push(m);
  return out;
}

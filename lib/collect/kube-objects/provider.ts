/** The one table of platforms skewguard recognises: how each shows in versions and node labels, and which manage the control plane. */
import type { PlatformSupport } from '../../rules/readiness-model';

/** Platforms that run the control plane (and etcd) out of sight, by provider id. */
export const MANAGED_PLATFORMS: Readonly<Record<string, string>> = {
  eks: 'EKS',
  gke: 'GKE',
  aks: 'AKS',
};

/** Version suffixes that name a platform: `v1.30.4-eks-a737599`, `v1.30.5-gke.1014001`, `+k3s1`. */
const VERSION_MARKERS: readonly (readonly [RegExp, string])[] = [
  [/-eks-/, 'eks'],
  [/-gke\./, 'gke'],
  [/\+k3s/, 'k3s'],
  [/\+rke2/, 'rke2'],
];

/** Node labels only one platform sets. */
const NODE_LABEL_MARKERS: readonly (readonly [string, string])[] = [
  ['eks.amazonaws.com/nodegroup', 'eks'],
  ['eks.amazonaws.com/compute-type', 'eks'],
  ['cloud.google.com/gke-nodepool', 'gke'],
  ['kubernetes.azure.com/cluster', 'aks'],
];

/** How many nodes are looked at: every node of a platform carries its labels. */
const NODES_LOOKED_AT = 20;

/** The platform a version string names, if any. */
export function providerOfVersion(version: string): string | undefined {
  return VERSION_MARKERS.find(([pattern]) => pattern.test(version))?.[1];
}

/**
 * eks | gke | aks | k3s | rke2 from version strings (first) or node labels; `hasLabel` tells
 * whether one node carries a Kubernetes label, however the source spells label names.
 */
export function detectProvider(
  versions: Iterable<string>,
  nodes: readonly ((label: string) => boolean)[],
): string | undefined {
  for (const version of versions) {
    const provider = providerOfVersion(version);
    if (provider) return provider;
  }
  for (const hasLabel of nodes.slice(0, NODES_LOOKED_AT)) {
    const marker = NODE_LABEL_MARKERS.find(([label]) => hasLabel(label));
    if (marker) return marker[1];
  }
  return undefined;
}

/**
 * The support facts a cluster's versions and node labels give on their own: the provider, whose
 * calendar VersionEndOfSupport applies (EKS's shipped table, or upstream's). `unknown` when no
 * platform is recognised: upstream dates then, said to be upstream's. The EKS source, where it
 * runs, supplies the live calendar and the upgrade policy instead.
 */
export function detectedPlatform(provider: string | undefined): PlatformSupport {
  return provider
    ? {
        provider,
        source: `${MANAGED_PLATFORMS[provider] ?? provider}, recognised from the cluster's versions and node labels`,
      }
    : {
        provider: 'unknown',
        source: "no platform recognised from the cluster's versions and node labels",
      };
}

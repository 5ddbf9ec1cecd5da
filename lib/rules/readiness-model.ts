/**
 * The snapshot facts the upgrade-readiness rules read (support dates, deprecated API calls, EKS
 * add-ons), each documented with the call or series a collector fills it from. All optional:
 * a source that cannot read them leaves them out and the rules that need them are skipped.
 */

/** EKS's upgrade policy (`DescribeCluster` → `cluster.upgradePolicy.supportType`). */
export type EksSupportType = 'STANDARD' | 'EXTENDED';

/**
 * One minor as `eks:DescribeClusterVersions` lists it (`clusterVersions[]`). Dates are ISO-8601;
 * the API answers with times (`2025-11-25T16:00:00-08:00`), which a collector passes on as they are.
 */
export interface EksVersionInfo {
  /** `clusterVersion`, e.g. `1.31`. */
  readonly minor: string;
  /** `releaseDate`. */
  readonly releaseDate?: string;
  /** `endOfStandardSupportDate`: extended-support billing starts, or STANDARD clusters are upgraded. */
  readonly endOfStandardSupport?: string;
  /** `endOfExtendedSupportDate`: every cluster still on the minor is upgraded by EKS. */
  readonly endOfExtendedSupport?: string;
  /** `versionStatus` (`STANDARD_SUPPORT`, `EXTENDED_SUPPORT`, `UNSUPPORTED`), for the evidence. */
  readonly status?: string;
}

/**
 * Who supports the control plane and, on EKS, what it says about its minors. Filled by the
 * collector: on EKS from `eks:DescribeClusterVersions` and `eks:DescribeCluster`; elsewhere with
 * only `provider` (`upstream` for kubeadm-style clusters, `gke`, `aks`, … as detected), which
 * makes VersionEndOfSupport use the upstream dates shipped in lib/rules/data.
 */
export interface PlatformSupport {
  /**
   * `eks`, `upstream`, another vendor's name (its own dates are not known to skewguard), or
   * `unknown` when the cluster's versions and labels name no platform (upstream dates apply).
   */
  readonly provider: string;
  /** `eks:DescribeClusterVersions` (all versions, `includeAll`); wins over the shipped table. */
  readonly eksVersions?: readonly EksVersionInfo[];
  /** `eks:DescribeCluster` → `cluster.upgradePolicy`. EKS defaults to EXTENDED when unset. */
  readonly upgradePolicy?: { readonly supportType: EksSupportType };
  /** Where the facts were read, e.g. `eks:DescribeClusterVersions (eu-west-1)`. */
  readonly source: string;
}

/** Who sent requests to a deprecated API (EKS upgrade insights name them by user agent). */
export interface ApiCaller {
  readonly userAgent: string;
  /** `numberOfRequestsLast30Days` in EKS insights, or requests in the source's window. */
  readonly requestCount?: number;
  /** `lastRequestTime`, ISO-8601. */
  readonly lastRequestAt?: string;
}

/** Which source saw a deprecated API being requested, in the rules' order of preference. */
export type DeprecatedApiSource = 'prometheus' | 'apiserver-metrics' | 'eks-insights';

/**
 * One deprecated API that was requested, per group/version/resource(/subresource). Filled from:
 * - `prometheus`: `apiserver_requested_deprecated_apis{group,version,resource,subresource,removed_release}`
 *   joined with `sum by (group,version,resource,subresource) (rate(apiserver_request_total[1h]))`
 *   into `requestsPerSecond` (0 when the gauge is set but nothing asked in the window);
 * - `apiserver-metrics`: one read of the API server's `/metrics`, the same gauge with the
 *   `apiserver_request_total` counter as `requestCount` since that instance started (behind a
 *   load balancer one read sees one instance);
 * - `eks-insights`: `eks:ListInsights` (category UPGRADE_READINESS) + `eks:DescribeInsight`
 *   `deprecationDetails[]`: `usage` → group/version/resource, `stopServingVersion` →
 *   `removedRelease`, `replacedWith` → `replacement`, `clientStats[]` → `callers`, their sum →
 *   `requestCount` with `window` `30d`.
 * An entry with neither `requestsPerSecond`, `requestCount` nor callers says nothing about
 * traffic: the gauge alone stays 1 once anything ever asked, so the rule does not count it.
 */
export interface DeprecatedApiRequest {
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural resource name, as the metric labels it (`ingresses`). */
  readonly resource: string;
  readonly subresource?: string;
  /** The `removed_release` label, `1.22`; the shipped table fills it when absent. */
  readonly removedRelease?: string;
  /** Requests per second over the query's window (Prometheus). */
  readonly requestsPerSecond?: number;
  /** Requests counted over `window`. */
  readonly requestCount?: number;
  /** The window `requestCount` or `requestsPerSecond` covers, for people: `1h`, `30d`. */
  readonly window?: string;
  readonly callers?: readonly ApiCaller[];
  /** What to use instead, when the source says (`replacedWith`): `networking.k8s.io/v1`. */
  readonly replacement?: string;
  readonly source: DeprecatedApiSource;
}

/**
 * One EKS managed add-on. Filled from `eks:ListAddons`, `eks:DescribeAddon` (`addonVersion`,
 * `status`) and `eks:DescribeAddonVersions` with `addonName` and `kubernetesVersion` set to the
 * cluster's minor and to the next one: `addons[].addonVersions[].addonVersion` per minor asked,
 * and the one whose `compatibilities[].defaultVersion` is true. No add-on tables are shipped.
 */
export interface EksAddon {
  /** `addonName`, e.g. `vpc-cni`. */
  readonly name: string;
  /** `addonVersion` installed, e.g. `v1.18.3-eksbuild.1`. */
  readonly version: string;
  /**
   * Versions `DescribeAddonVersions` lists for each minor asked (`1.31` → […]). A minor asked
   * with no versions is `[]` (no build for it); a minor not asked is absent (not checked).
   */
  readonly compatibleVersions: Readonly<Record<string, readonly string[]>>;
  /** The default version per minor (`compatibilities[].defaultVersion`). */
  readonly defaultVersions?: Readonly<Record<string, string>>;
  /** `status`: ACTIVE, DEGRADED, UPDATE_FAILED, … */
  readonly status?: string;
}

/** The sources a snapshot is read from, how they fail, and which snapshot parts each run collected. */

/**
 * Where a snapshot's data came from; `eks` is the EKS APIs about the cluster (support calendar,
 * upgrade policy, add-ons, insights).
 */
export type SourceName = 'kubernetes' | 'prometheus' | 'files' | 'eks';

/** Error classes a source failure is sorted into (docs/architecture.md, Conventions #11). */
export type SourceErrorKind =
  | 'dns'
  | 'tls'
  | 'auth'
  | 'forbidden'
  /** Refused or unreachable: nothing listens there, or no route to it. */
  | 'connection'
  | 'timeout'
  | 'server'
  | 'protocol'
  | 'config'
  | 'input';

/** Outcome of one configured source in one run. */
export interface SourceStatus {
  readonly source: SourceName;
  readonly status: 'ok' | 'failed';
  /** Why it failed, in words a person can act on. */
  readonly reason?: string;
  readonly kind?: SourceErrorKind;
  /** Runs in a row this source failed, this one included (from the ledger; absent in one-shot use). */
  readonly consecutiveFailures?: number;
  /**
   * The ledger's verdict: failed for its configured number of runs, or every source failed.
   * Absent without a ledger; the SourceUnavailable rule then applies its default of 3 runs.
   */
  readonly unavailable?: boolean;
}

/** A series a rule needs that Prometheus does not have (absent) or no longer updates (stale). */
export interface MissingMetric {
  /** Metric name or job, e.g. `kube_deployment_status_observed_generation` or `kube-state-metrics`. */
  readonly series: string;
  readonly problem: 'absent' | 'stale';
  /** Snapshot parts that could not be read because of it. */
  readonly affects: readonly SnapshotPart[];
  /** What to check or install, in words a person acts on. */
  readonly hint: string;
}

/**
 * The parts of a snapshot a rule can depend on, as one list. A rule lists the parts it `needs`;
 * a part that was not collected makes the rule `skipped`, never passed.
 */
export const SNAPSHOT_PARTS = [
  'apiserver',
  'controlPlane',
  'etcd',
  'nodes',
  'kubeProxy',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'pods',
  'sources',
  /** `ClusterSnapshot.platform`: support dates and upgrade policy (eks:DescribeClusterVersions, DescribeCluster). */
  'platform',
  /** `ClusterSnapshot.deprecatedApis`: deprecated APIs requested, with their traffic. */
  'deprecatedApis',
  /** `ClusterSnapshot.addons`: EKS add-ons and the versions offered per minor. */
  'addons',
  /**
   * `ClusterSnapshot.kubectl`: the kubectl client version, from the `clientVersion` of saved
   * `kubectl version -o json|yaml` output, or from the kubectl on PATH in a live CLI run.
   */
  'kubectl',
  /**
   * `ClusterSnapshot.gitops`: Argo CD Applications, Flux Kustomizations and HelmReleases. Not
   * observable when none of their CRDs is installed: the rules do not apply there.
   */
  'gitops',
  /**
   * `ClusterSnapshot.manifests`: Deployments, StatefulSets and DaemonSets from rendered manifests
   * (`--manifests DIR`, or a cluster's `drift.manifests`) with their live twins.
   */
  'manifests',
] as const;

/** One part of a snapshot (see SNAPSHOT_PARTS). */
export type SnapshotPart = (typeof SNAPSHOT_PARTS)[number];

/**
 * Parts a run reads only when asked (`--manifests`, `drift.manifests`): without them the rules
 * that need them are skipped as not requested, which `--fail-on-skipped` does not count.
 */
export const OPT_IN_PARTS: readonly SnapshotPart[] = ['manifests'];

/**
 * What supplies the parts that no collector fills yet, or that only some sources fill, for the
 * skipped reason: a part left out of `parts` is reported as `<part> not collected: <this>`, so
 * the reader knows what to add.
 */
export const PART_SUPPLIERS: Readonly<Partial<Record<SnapshotPart, string>>> = {
  platform:
    "the platform is recognised from the API server's version: add `kubectl version -o json` output or read the API server (on EKS the EKS source also reads eks:DescribeClusterVersions and the upgrade policy)",
  deprecatedApis:
    'supply deprecated API requests: Prometheus apiserver_requested_deprecated_apis joined with rate(apiserver_request_total), the API server /metrics, or on EKS eks:ListInsights/DescribeInsight',
  addons:
    'supply EKS add-ons: eks:ListAddons, eks:DescribeAddon and eks:DescribeAddonVersions for the current and next minor',
  // Prometheus never sees the client; only files and the live CLI's local probe supply it.
  kubectl:
    'supply the kubectl client version: save `kubectl version -o json` with the other --from-file inputs, or run a live check (--context/--kubeconfig) with kubectl on PATH',
  // Prometheus' argocd_app_info is not read yet; the objects come from the API or from files.
  gitops:
    'supply the GitOps objects: read the Kubernetes API (RBAC get,list on applications.argoproj.io, kustomizations.kustomize.toolkit.fluxcd.io, helmreleases.helm.toolkit.fluxcd.io) or save `kubectl get applications.argoproj.io,kustomizations.kustomize.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io -A -o json` with the other --from-file inputs',
  // Only a Kubernetes-object source (live API or files) carries pod templates to compare.
  manifests:
    'supply rendered manifests (`kustomize build` or `helm template` output): `--manifests DIR` with --from-file or a live read, or `drift.manifests` in the cluster config',
};

/**
 * A read that failed (permission denied, server error, timeout, bad answer) while its source as a
 * whole answered: why a part is missing when the input did not simply lack it.
 */
export interface ReadFailure {
  readonly source: SourceName;
  readonly kind: SourceErrorKind;
  /** The collector's message: what failed and, for a permission, what to grant. */
  readonly message: string;
}

/** Whether a snapshot part was collected; `notObservable` is for what a managed provider hides. */
export type PartStatus =
  | {
      readonly state: 'collected';
      /**
       * Why the part may be incomplete though it was read: a Prometheus answer marked partial
       * (a store of Thanos, Cortex or Mimir did not answer). Rules reading it are `partial`.
       */
      readonly partial?: readonly string[];
    }
  | {
      readonly state: 'missing';
      readonly reason: string;
      /** Reads that failed and left the part missing; absent when the input lacks it by design. */
      readonly failures?: readonly ReadFailure[];
    }
  | { readonly state: 'notObservable'; readonly reason: string };

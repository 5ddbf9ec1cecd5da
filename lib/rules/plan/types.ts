/** The shape of an upgrade plan: hops of one minor, each with its blockers, its ordered steps and where it lands. */

/** What a step changes. */
export type PlanComponent =
  | 'etcd'
  | 'kube-apiserver'
  | 'control-plane'
  | 'kubelet'
  | 'kube-proxy'
  | 'add-on'
  | 'kubectl'
  /** Nodes on an OS with no image for the next minor: replaced, not upgraded. */
  | 'node-os'
  /** Clients still calling an API the next minor removes. */
  | 'api-clients';

/** One change, in order, with the minors it moves between and where to make it. */
export interface PlanStep {
  readonly component: PlanComponent;
  /** Node groups, instances or add-on names the step acts on. */
  readonly targets: readonly string[];
  /** `1.30`, or an etcd / add-on version. */
  readonly from: string;
  readonly to: string;
  /** One line a person follows. */
  readonly action: string;
  /** Platform commands, when the platform has them (none invented). */
  readonly commands: readonly string[];
  /** For node components left behind on purpose: the last control-plane minor they can stay under. */
  readonly deferrableUntil?: string;
}

/** Something that must be cleared before a hop starts. */
export interface PlanBlocker {
  readonly kind:
    'skew' | 'controlPlane' | 'etcd' | 'deprecatedApi' | 'addon' | 'nodeOs' | 'targetSupport';
  readonly what: string;
  readonly fix: string;
}

/** Where a hop lands: the support of its minor and what it costs. */
export interface Landing {
  readonly minor: string;
  /** `1.33 (standard support until 2026-07-29)`, from the platform's calendar. */
  readonly support: string;
  /** EKS extended support's extra cost per month, when the hop lands in it. */
  readonly monthlyExtraCostUsd?: number;
}

/** One control-plane minor, N → N+1. */
export interface PlanHop {
  readonly from: string;
  readonly to: string;
  readonly blockers: readonly PlanBlocker[];
  /** Steps that clear the blockers, then the hop itself, in the order to make them. */
  readonly steps: readonly PlanStep[];
  /** Node groups that may stay behind for this hop, each with the last control-plane minor they allow. */
  readonly deferred: readonly {
    readonly component: 'kubelet' | 'kube-proxy';
    readonly targets: readonly string[];
    readonly minor: string;
    readonly until: string;
  }[];
  /** What could not be checked for this hop (add-on builds for later minors, API calls not read). */
  readonly notChecked: readonly string[];
  readonly landing: Landing;
}

/** The whole path from what the cluster runs to the target minor. */
export interface UpgradePlan {
  readonly cluster: string;
  /** eks | kubeadm | generic: which commands the steps carry. */
  readonly platform: 'eks' | 'kubeadm' | 'generic';
  readonly from: string;
  readonly to: string;
  /** Work that must finish before the first hop (an HA control plane mid-upgrade). */
  readonly finishFirst: readonly PlanStep[];
  readonly hops: readonly PlanHop[];
  readonly notes: readonly string[];
}

/** A plan, or why none can be made (target below the cluster, beyond the data, no versions). */
export type PlanResult =
  | { readonly ok: true; readonly plan: UpgradePlan }
  | { readonly ok: false; readonly reason: string };

/** The validated, normalized config every part of skewguard reads (durations in seconds). */
import type { RuleOverride, Severity } from '../rules';
import type { MaintenanceWindow } from './maintenance';
import type { ScheduleSpec } from './schedule';

export type { MaintenanceWindow } from './maintenance';

/** Who a message is written for; SNS subscriptions select on the `audience` attribute. */
export type Audience = 'machine' | 'chat' | 'human';

/** All audiences. */
export const AUDIENCES: readonly Audience[] = ['machine', 'chat', 'human'];

/** How to reach an EKS cluster's API: an IAM token for the checker's role. */
export interface EksKubernetesSource {
  readonly kind: 'eks';
  readonly name: string;
  readonly region: string;
  /** Create an EKS access entry for the checker's role at deploy time. */
  readonly grantAccess: boolean;
  /** `view`: associate AmazonEKSViewPolicy instead of the skewguard-readers group (cannot list nodes). */
  readonly accessPolicy?: 'view';
}

/** How to reach any other API server: its URL plus a token or a kubeconfig from Secrets Manager. */
export interface ServerKubernetesSource {
  readonly kind: 'server';
  readonly server: string;
  /** Secret holding the PEM CA bundle of the API server, when not publicly trusted. */
  readonly caSecretArn?: string;
  readonly credentials:
    | { readonly kind: 'token'; readonly secretArn: string }
    | { readonly kind: 'kubeconfig'; readonly secretArn: string };
}

/** The Kubernetes API source of a cluster. */
export type KubernetesSource = EksKubernetesSource | ServerKubernetesSource;

/** How skewguard authenticates to Prometheus. */
export type PrometheusAuth =
  | { readonly type: 'none' }
  | { readonly type: 'basic'; readonly secretArn: string }
  | { readonly type: 'bearer'; readonly secretArn: string }
  /** AWS SigV4 for Amazon Managed Service for Prometheus; `region` resolved from the URL. */
  | { readonly type: 'sigv4'; readonly region: string };

/** The Prometheus HTTP API source of a cluster. */
export interface PrometheusSource {
  readonly url: string;
  readonly auth: PrometheusAuth;
  /** Label matchers added to every query, e.g. `cluster="prod"`, for a shared Prometheus. */
  readonly selector?: string;
  readonly caSecretArn?: string;
}

/** Where the check function runs for a private cluster. */
export interface VpcPlacement {
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

/** One cluster skewguard checks, with its schedule resolved. */
export interface ClusterConfig {
  readonly name: string;
  readonly kubernetes?: KubernetesSource;
  readonly prometheus?: PrometheusSource;
  /** The cluster's own schedule, or the default one. */
  readonly schedule: ScheduleSpec;
  readonly vpc?: VpcPlacement;
  /** Per-rule overrides keyed by rule id (`forSeconds` parsed from `for`). */
  readonly rules: Readonly<Record<string, RuleOverride>>;
  readonly excludedNamespaces: readonly string[];
  /** Send the upgrade plan when it changes (config `plan:`). */
  readonly plan?: PlanNotice;
  /**
   * Windows in which notifications are held (time zone resolved: the window's, else
   * `defaults.timezone`, else UTC); absent when the config lists none.
   */
  readonly maintenanceWindows?: readonly MaintenanceWindow[];
  /** Compare the cluster with rendered manifests (config `drift:`, rule ConfigDrift). */
  readonly drift?: DriftConfig;
}

/** Where a cluster's desired state lives: a folder of rendered manifests. */
export interface DriftConfig {
  /**
   * The folder: absolute once loaded from a file (written relative to it); in the Lambda,
   * relative to the function's code, where synth bundled it.
   */
  readonly manifests: string;
  /** Namespace of manifest objects without one. @default 'default' */
  readonly namespace?: string;
}

/** The upgrade plan the checker sends for a cluster: its target and how often it is recomputed. */
export interface PlanNotice {
  /** The target minor (1.34 → 34); absent: the next minor. */
  readonly to?: number;
  /** Seconds between two plan computations (daily 86400, weekly 604800). */
  readonly everySeconds: number;
}

/** An HTTPS endpoint (pager, chat webhook) and what it receives. */
export interface HttpsEndpoint {
  readonly url: string;
  readonly severities: readonly Severity[];
  readonly audience: Audience;
}

/** PagerDuty's Events API v2, reached by the forwarder function the stack adds (lib/infra). */
export interface PagerDutyConfig {
  /** Secret holding the integration's routing key (SecretString, the key alone). */
  readonly routingKeySecretArn: string;
  /** Machine messages at these severities are forwarded. */
  readonly severities: readonly Severity[];
}

/** Where notifications go. */
export interface NotificationsConfig {
  readonly emails: readonly string[];
  readonly https: readonly HttpsEndpoint[];
  /** Publish to this existing topic instead of creating one. */
  readonly topicArn?: string;
  /** The KMS key encrypting the existing topic, so the checker may publish to it. */
  readonly topicKeyArn?: string;
  /** Forward machine messages to PagerDuty; absent: no forwarder is deployed. */
  readonly pagerDuty?: PagerDutyConfig;
}

/** Settings every cluster shares unless it overrides them. */
export interface DefaultsConfig {
  readonly schedule: ScheduleSpec;
  /** IANA time zone for cron schedules. */
  readonly timezone?: string;
  /** How often a still-firing finding is notified again, per severity. */
  readonly repeatIntervalSeconds: Readonly<Record<Severity, number>>;
  /** Email subscriptions receive findings at this severity and worse. */
  readonly emailMinSeverity: Severity;
  /** Base URL the runbook file name is appended to (ends with `/`). */
  readonly runbookBaseUrl: string;
}

/** The whole skewguard config. */
export interface SkewguardConfig {
  readonly defaults: DefaultsConfig;
  readonly notifications: NotificationsConfig;
  readonly clusters: readonly ClusterConfig[];
}

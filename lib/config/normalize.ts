/** From the checked document (strings as written) to the typed config (seconds, resolved defaults). */
import type { RuleOverride, Severity } from '../rules';
import { DEFAULT_RUNBOOK_BASE_URL, parseTargetMinor, SEVERITIES } from '../rules';
import { ampWorkspaceFromUrl } from './aws-names';
import { parseDuration } from './duration';
import type { ScheduleSpec } from './schedule';
import { parseSchedule } from './schedule';
import type { ClusterDocument, ConfigDocument } from './schema';
import type {
  ClusterConfig,
  DefaultsConfig,
  HttpsEndpoint,
  KubernetesSource,
  PlanNotice,
  PrometheusAuth,
  PrometheusSource,
  SkewguardConfig,
} from './types';

/** The default schedule: every five minutes. */
export const DEFAULT_SCHEDULE = 'rate(5 minutes)';
/** The default repeat interval for still-firing findings. */
export const DEFAULT_REPEAT_INTERVAL = '24h';
/** The default minimum severity emailed. */
export const DEFAULT_EMAIL_MIN_SEVERITY: Severity = 'warning';

// Inputs reach here only after the schema and the checks passed, so these cannot fail.
function seconds(duration: string): number {
  const value = parseDuration(duration);
  if (value === undefined) throw new Error(`unchecked duration ${duration}`);
  return value;
}

function scheduleSpec(expression: string): ScheduleSpec {
  const spec = parseSchedule(expression);
  if (typeof spec === 'string') throw new Error(`unchecked schedule ${expression}`);
  return spec;
}

/** Builds the typed config from a document that passed the schema and the checks. */
export function normalize(doc: ConfigDocument): SkewguardConfig {
  const defaults = normalizeDefaults(doc.defaults ?? {});
  const notifications = doc.notifications ?? {};
  return {
    defaults,
    notifications: {
      emails: notifications.emails ?? [],
      https: (notifications.https ?? []).map((h): HttpsEndpoint => ({
        url: h.url,
        severities: h.severities,
        audience: h.audience,
      })),
      ...(notifications.topicArn ? { topicArn: notifications.topicArn } : {}),
      ...(notifications.topicKeyArn ? { topicKeyArn: notifications.topicKeyArn } : {}),
      ...(notifications.pagerDuty
        ? {
            pagerDuty: {
              routingKeySecretArn: notifications.pagerDuty.routingKeySecretArn,
              severities: notifications.pagerDuty.severities,
            },
          }
        : {}),
    },
    clusters: doc.clusters.map((c) => normalizeCluster(c, defaults)),
  };
}

function normalizeDefaults(d: NonNullable<ConfigDocument['defaults']>): DefaultsConfig {
  const repeat = d.repeatInterval ?? DEFAULT_REPEAT_INTERVAL;
  const perSeverity = typeof repeat === 'string' ? {} : repeat;
  const fallback = seconds(typeof repeat === 'string' ? repeat : DEFAULT_REPEAT_INTERVAL);
  const repeatIntervalSeconds = Object.fromEntries(
    SEVERITIES.map((s) => [s, perSeverity[s] === undefined ? fallback : seconds(perSeverity[s])]),
  ) as Record<Severity, number>;
  const runbookBaseUrl = d.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  return {
    schedule: scheduleSpec(d.schedule ?? DEFAULT_SCHEDULE),
    ...(d.timezone ? { timezone: d.timezone } : {}),
    repeatIntervalSeconds,
    emailMinSeverity: d.emailMinSeverity ?? DEFAULT_EMAIL_MIN_SEVERITY,
    // The runbook file name is appended, so the base must end with a slash.
    runbookBaseUrl: runbookBaseUrl.endsWith('/') ? runbookBaseUrl : `${runbookBaseUrl}/`,
  };
}

function normalizeCluster(c: ClusterDocument, defaults: DefaultsConfig): ClusterConfig {
  const rules: Record<string, RuleOverride> = {};
  for (const [id, o] of Object.entries(c.rules ?? {})) {
    if (!o) continue;
    rules[id] = {
      ...(o.severity ? { severity: o.severity } : {}),
      ...(o.for !== undefined ? { forSeconds: seconds(o.for) } : {}),
      ...(o.disabled !== undefined ? { disabled: o.disabled } : {}),
    };
  }
  return {
    name: c.name,
    ...(c.kubernetes ? { kubernetes: normalizeKubernetes(c.kubernetes) } : {}),
    ...(c.prometheus ? { prometheus: normalizePrometheus(c.prometheus) } : {}),
    schedule: c.schedule ? scheduleSpec(c.schedule) : defaults.schedule,
    ...(c.vpc
      ? { vpc: { subnetIds: c.vpc.subnetIds, securityGroupIds: c.vpc.securityGroupIds } }
      : {}),
    rules,
    excludedNamespaces: c.excludedNamespaces ?? [],
    ...(c.plan ? { plan: normalizePlan(c.plan) } : {}),
    ...(c.maintenanceWindows && c.maintenanceWindows.length > 0
      ? {
          maintenanceWindows: c.maintenanceWindows.map((w) => ({
            cron: w.cron,
            durationSeconds: seconds(w.duration),
            timezone: w.timezone ?? defaults.timezone ?? 'UTC',
          })),
        }
      : {}),
    ...(c.drift
      ? {
          drift: {
            manifests: c.drift.manifests,
            ...(c.drift.namespace ? { namespace: c.drift.namespace } : {}),
          },
        }
      : {}),
  };
}

const PLAN_PERIOD_SECONDS = { daily: 86_400, weekly: 7 * 86_400 } as const;

function normalizePlan(p: NonNullable<ClusterDocument['plan']>): PlanNotice {
  const to = p.to === undefined ? undefined : parseTargetMinor(String(p.to));
  return {
    ...(to !== undefined ? { to } : {}),
    everySeconds: PLAN_PERIOD_SECONDS[p.schedule ?? 'weekly'],
  };
}

function normalizeKubernetes(k: NonNullable<ClusterDocument['kubernetes']>): KubernetesSource {
  if (k.eks) {
    return {
      kind: 'eks',
      name: k.eks.name,
      region: k.eks.region,
      grantAccess: k.eks.grantAccess,
      ...(k.eks.accessPolicy ? { accessPolicy: k.eks.accessPolicy } : {}),
    };
  }
  const server = k.server ?? '';
  const credentials = k.tokenSecretArn
    ? ({ kind: 'token', secretArn: k.tokenSecretArn } as const)
    : ({ kind: 'kubeconfig', secretArn: k.kubeconfigSecretArn ?? '' } as const);
  return {
    kind: 'server',
    server,
    ...(k.caSecretArn ? { caSecretArn: k.caSecretArn } : {}),
    credentials,
  };
}

function normalizePrometheus(p: NonNullable<ClusterDocument['prometheus']>): PrometheusSource {
  const amp = ampWorkspaceFromUrl(p.url);
  const given = p.auth ?? (amp ? { type: 'sigv4' as const } : { type: 'none' as const });
  let auth: PrometheusAuth;
  if (given.type === 'sigv4') {
    auth = { type: 'sigv4', region: given.region ?? amp?.region ?? '' };
  } else {
    auth = given;
  }
  return {
    url: p.url,
    auth,
    ...(p.selector ? { selector: p.selector } : {}),
    ...(p.caSecretArn ? { caSecretArn: p.caSecretArn } : {}),
  };
}

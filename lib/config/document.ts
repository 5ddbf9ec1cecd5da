/**
 * From the typed config back to a document the schema accepts: how the CDK app hands the
 * Lambda its (trimmed) config, which parses it again with the same schema.
 */
import type { Severity } from '../rules';
import { SEVERITIES } from '../rules';
import { formatDuration } from './duration';
import type { ClusterDocument, ConfigDocument } from './schema';
import type { ClusterConfig, KubernetesSource, SkewguardConfig } from './types';

/** A document that parses back to `config` (`parseConfig(toConfigDocument(c))` equals `c`). */
export function toConfigDocument(config: SkewguardConfig): ConfigDocument {
  const d = config.defaults;
  const n = config.notifications;
  return {
    defaults: {
      schedule: d.schedule.expression,
      ...(d.timezone ? { timezone: d.timezone } : {}),
      repeatInterval: Object.fromEntries(
        SEVERITIES.map((s: Severity) => [s, formatDuration(d.repeatIntervalSeconds[s])]),
      ),
      emailMinSeverity: d.emailMinSeverity,
      runbookBaseUrl: d.runbookBaseUrl,
    },
    notifications: {
      emails: [...n.emails],
      https: n.https.map((h) => ({
        url: h.url,
        severities: [...h.severities],
        audience: h.audience,
      })),
      ...(n.topicArn ? { topicArn: n.topicArn } : {}),
      ...(n.topicKeyArn ? { topicKeyArn: n.topicKeyArn } : {}),
      ...(n.pagerDuty
        ? {
            pagerDuty: {
              routingKeySecretArn: n.pagerDuty.routingKeySecretArn,
              severities: [...n.pagerDuty.severities],
            },
          }
        : {}),
    },
    clusters: config.clusters.map((c) => clusterDocument(c, d.schedule.expression)),
  };
}

function clusterDocument(c: ClusterConfig, defaultSchedule: string): ClusterDocument {
  const rules = Object.fromEntries(
    Object.entries(c.rules).map(([id, o]) => [
      id,
      {
        ...(o.severity ? { severity: o.severity } : {}),
        ...(o.forSeconds !== undefined ? { for: formatDuration(o.forSeconds) } : {}),
        ...(o.disabled !== undefined ? { disabled: o.disabled } : {}),
      },
    ]),
  );
  return {
    name: c.name,
    ...(c.kubernetes ? { kubernetes: kubernetesDocument(c.kubernetes) } : {}),
    ...(c.prometheus
      ? {
          prometheus: {
            url: c.prometheus.url,
            auth: { ...c.prometheus.auth },
            ...(c.prometheus.selector ? { selector: c.prometheus.selector } : {}),
            ...(c.prometheus.caSecretArn ? { caSecretArn: c.prometheus.caSecretArn } : {}),
          },
        }
      : {}),
    ...(c.schedule.expression !== defaultSchedule ? { schedule: c.schedule.expression } : {}),
    ...(c.vpc
      ? { vpc: { subnetIds: [...c.vpc.subnetIds], securityGroupIds: [...c.vpc.securityGroupIds] } }
      : {}),
    ...(Object.keys(rules).length > 0 ? { rules } : {}),
    ...(c.excludedNamespaces.length > 0 ? { excludedNamespaces: [...c.excludedNamespaces] } : {}),
    ...(c.plan
      ? {
          plan: {
            ...(c.plan.to !== undefined ? { to: `1.${c.plan.to}` } : {}),
            schedule: c.plan.everySeconds <= 86_400 ? ('daily' as const) : ('weekly' as const),
          },
        }
      : {}),
    ...(c.maintenanceWindows
      ? {
          maintenanceWindows: c.maintenanceWindows.map((w) => ({
            cron: w.cron,
            duration: formatDuration(w.durationSeconds),
            timezone: w.timezone,
          })),
        }
      : {}),
    ...(c.drift ? { drift: { ...c.drift } } : {}),
  };
}

function kubernetesDocument(k: KubernetesSource): NonNullable<ClusterDocument['kubernetes']> {
  if (k.kind === 'eks') {
    return {
      eks: {
        name: k.name,
        region: k.region,
        grantAccess: k.grantAccess,
        ...(k.accessPolicy ? { accessPolicy: k.accessPolicy } : {}),
      },
    };
  }
  return {
    server: k.server,
    ...(k.caSecretArn ? { caSecretArn: k.caSecretArn } : {}),
    ...(k.credentials.kind === 'token'
      ? { tokenSecretArn: k.credentials.secretArn }
      : { kubeconfigSecretArn: k.credentials.secretArn }),
  };
}

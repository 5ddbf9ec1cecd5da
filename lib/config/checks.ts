/**
 * Rules that span several fields of the config. They read the raw document defensively
 * (any field may have the wrong type), so they run even when the schema found problems
 * and every issue is reported in one go.
 */
import { AMP_URL_FORMAT, ampWorkspaceFromUrl } from './aws-names';
import { showValue } from './errors';

/** An issue found by a check: a path of keys and indexes, and the message. */
export interface RawIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

type Obj = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(obj: Obj, key: string): boolean {
  return obj[key] !== undefined;
}

/** Cross-field checks of a raw config document. */
export function checkConfig(raw: unknown): RawIssue[] {
  if (!isObject(raw)) return [];
  const issues: RawIssue[] = [];
  if (Array.isArray(raw['clusters'])) {
    issues.push(...checkClusterNames(raw['clusters']));
    raw['clusters'].forEach((cluster, i) => {
      if (isObject(cluster)) issues.push(...checkCluster(cluster, ['clusters', i]));
    });
  }
  if (isObject(raw['notifications'])) issues.push(...checkNotifications(raw['notifications']));
  return issues;
}

function checkClusterNames(clusters: readonly unknown[]): RawIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: RawIssue[] = [];
  clusters.forEach((cluster, i) => {
    const name = isObject(cluster) ? cluster['name'] : undefined;
    if (typeof name !== 'string') return;
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, i);
    else {
      issues.push({
        path: ['clusters', i, 'name'],
        message: `${showValue(name)} is already the name of clusters[${first}]; cluster names must be unique (they key schedules, metrics and the ledger)`,
      });
    }
  });
  return issues;
}

function checkCluster(cluster: Obj, path: readonly PropertyKey[]): RawIssue[] {
  const issues: RawIssue[] = [];
  if (!has(cluster, 'kubernetes') && !has(cluster, 'prometheus')) {
    issues.push({
      path,
      message:
        'the cluster has no source; add kubernetes: (eks: or server:), prometheus: (url:), or both',
    });
  }
  if (isObject(cluster['kubernetes']))
    issues.push(...checkKubernetes(cluster['kubernetes'], [...path, 'kubernetes']));
  if (isObject(cluster['prometheus']))
    issues.push(...checkPrometheus(cluster['prometheus'], [...path, 'prometheus']));
  return issues;
}

const SERVER_ONLY_KEYS = ['caSecretArn', 'tokenSecretArn', 'kubeconfigSecretArn'] as const;

function checkKubernetes(k8s: Obj, path: readonly PropertyKey[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const isEks = has(k8s, 'eks');
  const isServer = has(k8s, 'server');
  if (isEks && isServer) {
    issues.push({
      path: [...path, 'server'],
      message: 'eks: and server: exclude each other; keep the one that reaches this cluster',
    });
  } else if (!isEks && !isServer) {
    issues.push({
      path,
      message:
        'needs either eks: {name, region, grantAccess} or server: https://... with tokenSecretArn or kubeconfigSecretArn',
    });
  }
  if (isEks) {
    for (const key of SERVER_ONLY_KEYS) {
      if (has(k8s, key)) {
        issues.push({
          path: [...path, key],
          message: `applies to server: clusters only; an EKS cluster is reached with the checker's IAM role — remove ${key}`,
        });
      }
    }
    const eks = k8s['eks'];
    if (isObject(eks) && has(eks, 'accessPolicy') && eks['grantAccess'] !== true) {
      issues.push({
        path: [...path, 'eks', 'accessPolicy'],
        message:
          'applies only with grantAccess: true (skewguard creates the access entry that carries the policy)',
      });
    }
  }
  if (isServer) {
    const token = has(k8s, 'tokenSecretArn');
    const kubeconfig = has(k8s, 'kubeconfigSecretArn');
    if (token && kubeconfig) {
      issues.push({
        path: [...path, 'kubeconfigSecretArn'],
        message: 'tokenSecretArn and kubeconfigSecretArn exclude each other; keep one',
      });
    } else if (!token && !kubeconfig) {
      issues.push({
        path,
        message:
          'server: needs credentials: tokenSecretArn (a bearer token) or kubeconfigSecretArn (a kubeconfig file)',
      });
    }
    if (kubeconfig && has(k8s, 'caSecretArn')) {
      issues.push({
        path: [...path, 'caSecretArn'],
        message: 'a kubeconfig carries its own CA (certificate-authority-data); remove caSecretArn',
      });
    }
  }
  return issues;
}

function checkPrometheus(prom: Obj, path: readonly PropertyKey[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const url = prom['url'];
  const auth = isObject(prom['auth']) ? prom['auth'] : undefined;
  const type = auth?.['type'];
  if (typeof url !== 'string') return issues;
  if (typeof type === 'string' && type !== 'sigv4' && ampWorkspaceFromUrl(url)) {
    issues.push({
      path: [...path, 'auth', 'type'],
      message: `${showValue(type)} cannot query an Amazon Managed Prometheus workspace: AMP accepts only SigV4-signed requests, and only sigv4 grants the checker's role aps:QueryMetrics on it; use auth: {type: sigv4} or leave auth out (sigv4 is the default for AMP URLs)`,
    });
  }
  if (type === 'sigv4') {
    const workspace = ampWorkspaceFromUrl(url);
    if (!workspace) {
      issues.push({
        path: [...path, 'url'],
        message: `${showValue(url)} is not an Amazon Managed Prometheus query URL; sigv4 needs ${AMP_URL_FORMAT} so the checker's role can be limited to that workspace`,
      });
    } else if (typeof auth?.['region'] === 'string' && auth['region'] !== workspace.region) {
      issues.push({
        path: [...path, 'auth', 'region'],
        message: `${showValue(auth['region'])} differs from the workspace's region ${workspace.region} in the URL; remove region or make them match`,
      });
    }
  }
  if (url.startsWith('http://') && (type === 'basic' || type === 'bearer' || type === 'sigv4')) {
    issues.push({
      path: [...path, 'url'],
      message: `${showValue(url)} is plain http, so ${type} credentials would travel unencrypted; use https:// or auth: {type: none}`,
    });
  }
  return issues;
}

function checkNotifications(notifications: Obj): RawIssue[] {
  const issues: RawIssue[] = [];
  if (has(notifications, 'topicKeyArn') && !has(notifications, 'topicArn')) {
    issues.push({
      path: ['notifications', 'topicKeyArn'],
      message:
        'applies only with topicArn (the key of an existing topic); the topic skewguard creates has its own key',
    });
  }
  issues.push(...checkPagerDutyEndpoints(notifications['https']));
  issues.push(...duplicates(notifications['emails'], ['notifications', 'emails'], (e) => e));
  issues.push(
    ...duplicates(
      notifications['https'],
      ['notifications', 'https'],
      (e) => (isObject(e) ? e['url'] : undefined),
      'url',
    ),
  );
  return issues;
}

/** Hosts of PagerDuty's Events API (US and EU service regions). */
const PAGERDUTY_EVENTS_HOSTS = ['events.pagerduty.com', 'events.eu.pagerduty.com'];

/**
 * SNS posts its own envelope (and a subscription confirmation) to an HTTPS endpoint, which the
 * Events API rejects as an invalid event: nothing would ever page. The forwarder speaks its shape.
 */
function checkPagerDutyEndpoints(list: unknown): RawIssue[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, i): RawIssue[] => {
    const url = isObject(entry) ? entry['url'] : undefined;
    if (typeof url !== 'string' || !URL.canParse(url)) return [];
    if (!PAGERDUTY_EVENTS_HOSTS.includes(new URL(url).hostname.toLowerCase())) return [];
    return [
      {
        path: ['notifications', 'https', i, 'url'],
        message: `${showValue(url)} is PagerDuty's Events API, which cannot take SNS deliveries (it rejects SNS's envelope); remove this entry and use notifications.pagerDuty: {routingKeySecretArn, severities} instead`,
      },
    ];
  });
}

function duplicates(
  list: unknown,
  path: readonly PropertyKey[],
  keyOf: (entry: unknown) => unknown,
  field?: string,
): RawIssue[] {
  if (!Array.isArray(list)) return [];
  const seen = new Map<string, number>();
  const issues: RawIssue[] = [];
  list.forEach((entry, i) => {
    const key = keyOf(entry);
    if (typeof key !== 'string') return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      issues.push({
        path: field ? [...path, i, field] : [...path, i],
        message: `${showValue(key)} is listed twice (also at index ${first}); SNS would subscribe it once — remove one`,
      });
    }
  });
  return issues;
}

/** The collectors of a configured cluster, one per source, reading their secrets as they run. */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SourceCollector } from './source-collector';
import { resolve } from 'node:path';
import type { ClusterConfig, DriftConfig, PrometheusSource } from '../config';
import { regionOfArn } from '../config';
import type { RolloutCondition, SourceName } from '../rules';
import { SourceError } from './errors';
import type { AwsDeps } from './kubernetes/connect';
import type { PrometheusAuth } from './prometheus';
import type { SecretsReader } from './aws/regional-secrets';
import type { ReadCache } from './source-collector';
import type { DesiredManifests } from './kube-objects';

/** AWS clients the collectors use; module-scope in the Lambda, fakes in tests. */
export interface CollectorDeps {
  /** Reads each secret in its ARN's region when it offers `forRegion` (the Lambda's does). */
  readonly secrets: SecretsReader;
  readonly aws?: AwsDeps;
  /** `for` windows per rollout condition, so Prometheus reads enough history. */
  readonly forWindows?: Readonly<Partial<Record<RolloutCondition, number>>>;
  /**
   * The instant (epoch ms) Prometheus is queried at; default the Prometheus server's now. The
   * Lambda passes the run's clock so the snapshot, its `collectedAt` and the evaluation share one
   * instant, which also lets tests replay a backfilled TSDB at a chosen time.
   */
  readonly prometheusAt?: () => number;
  /** Where the EKS source keeps its slow reads between runs (the ledger); without it, every run reads. */
  readonly cache?: ReadCache;
  /** The run's clock (epoch ms), for the cache's freshness. @default Date.now */
  readonly now?: () => number;
  /** What relative `drift.manifests` folders resolve against (the Lambda: its code). @default the working directory */
  readonly manifestsRoot?: string;
}

/** The collectors of a configured cluster: one per source, secrets read when the run collects. */
export function collectorsFor(
  cluster: ClusterConfig,
  deps: CollectorDeps,
  collectedAt: () => string,
): SourceCollector[] {
  const collectors: SourceCollector[] = [];
  const kube = cluster.kubernetes;
  if (kube) {
    collectors.push({
      source: 'kubernetes',
      collect: async () => {
        const connection =
          kube.kind === 'eks'
            ? ({ kind: 'eks', name: kube.name, region: kube.region } as const)
            : kube.credentials.kind === 'token'
              ? ({
                  kind: 'token',
                  server: kube.server,
                  token: await secretString(
                    deps.secrets,
                    kube.credentials.secretArn,
                    'kubernetes',
                    'token',
                  ),
                  ...(kube.caSecretArn
                    ? { caPem: await secretString(deps.secrets, kube.caSecretArn, 'kubernetes') }
                    : {}),
                } as const)
              : ({
                  kind: 'kubeconfigText',
                  text: await secretString(deps.secrets, kube.credentials.secretArn, 'kubernetes'),
                } as const);
        // Loaded when a cluster uses the source: a function whose clusters have no Prometheus
        // never loads axios (nor the EKS client without EKS clusters), which keeps cold starts short.
        // Not the folder's index: that also exports the kubeconfig-file reader, whose
        // @kubernetes/client-node (0.9 MB) the Lambda must not bundle.
        const { connect } = await import('./kubernetes/connect');
        const { collectFromKubernetes } = await import('./kubernetes/collect');
        const drift = cluster.drift ? await driftManifests(cluster.drift, deps) : undefined;
        const target = await connect(connection, 8, deps.aws);
        try {
          const { snapshot } = await collectFromKubernetes({
            cluster: cluster.name,
            target,
            collectedAt,
            // Prometheus measures deprecated API traffic better; without it, read /metrics.
            deprecatedApis: cluster.prometheus === undefined,
            ...(drift && 'desired' in drift ? { manifests: drift } : {}),
          });
          // A bad drift folder costs only ConfigDrift, never the rest of the source.
          return drift && 'problem' in drift
            ? {
                ...snapshot,
                parts: {
                  ...snapshot.parts,
                  manifests: { state: 'missing', reason: drift.problem },
                },
              }
            : snapshot;
        } finally {
          target.agent.destroy();
        }
      },
    });
  }
  if (kube?.kind === 'eks') {
    collectors.push({
      source: 'eks',
      collect: async () => {
        const { EKSClient } = await import('@aws-sdk/client-eks');
        const { AWS_CALL_TIMEOUTS } = await import('./aws/timeouts');
        const { collectFromEks } = await import('./eks/collect');
        return collectFromEks({
          cluster: cluster.name,
          ref: { name: kube.name, region: kube.region },
          eks: deps.aws?.eks ?? new EKSClient({ region: kube.region, ...AWS_CALL_TIMEOUTS }),
          ...(deps.cache ? { cache: deps.cache } : {}),
          now: (deps.now ?? Date.now)(),
          collectedAt,
        });
      },
    });
  }
  const prom = cluster.prometheus;
  if (prom) {
    collectors.push({
      source: 'prometheus',
      collect: async () => {
        const caPem = prom.caSecretArn
          ? await secretString(deps.secrets, prom.caSecretArn, 'prometheus')
          : undefined;
        // The one module, not the index: a dynamic import keeps every export of its target.
        const { collectFromPrometheus } = await import('./prometheus/collect');
        const result = await collectFromPrometheus({
          cluster: cluster.name,
          url: prom.url,
          auth: await prometheusAuth(prom, deps),
          ...(prom.selector ? { selector: prom.selector } : {}),
          ...(caPem ? { caPem } : {}),
          ...(deps.forWindows ? { forWindows: deps.forWindows } : {}),
          ...(deps.prometheusAt ? { at: deps.prometheusAt() } : {}),
          collectedAt,
        });
        return result.snapshot;
      },
    });
  }
  return collectors;
}

/** The cluster's drift manifests, or why they cannot be read (the folder should be in the bundle). */
async function driftManifests(
  drift: DriftConfig,
  deps: CollectorDeps,
): Promise<DesiredManifests | { problem: string }> {
  const { readManifests } = await import('./manifests');
  try {
    return readManifests(resolve(deps.manifestsRoot ?? process.cwd(), drift.manifests), {
      namespaceSetting: 'drift.namespace',
      ...(drift.namespace ? { defaultNamespace: drift.namespace } : {}),
    });
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return {
      problem: `the drift manifests could not be read (${error.message}); redeploy so synth bundles drift.manifests again`,
    };
  }
}

async function prometheusAuth(
  prom: PrometheusSource,
  deps: CollectorDeps,
): Promise<PrometheusAuth> {
  const auth = prom.auth;
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'sigv4':
      return {
        type: 'sigv4',
        region: auth.region,
        ...(deps.aws?.credentials ? { credentials: deps.aws.credentials } : {}),
      };
    case 'bearer':
      return {
        type: 'bearer',
        token: await secretString(deps.secrets, auth.secretArn, 'prometheus', 'token'),
      };
    case 'basic': {
      const text = await secretString(deps.secrets, auth.secretArn, 'prometheus');
      const parsed = parseJson(text);
      const username = parsed?.['username'];
      const password = parsed?.['password'];
      if (typeof username !== 'string' || typeof password !== 'string') {
        throw new SourceError(
          'prometheus',
          'config',
          `secret ${auth.secretArn} must be JSON {"username": "...", "password": "..."} for basic auth`,
        );
      }
      return { type: 'basic', username, password };
    }
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The client for the region `arn` names: Secrets Manager answers for a secret only in that region. */
function clientFor(secrets: SecretsReader, arn: string): Pick<SecretsManagerClient, 'send'> {
  const region = regionOfArn(arn);
  return region && secrets.forRegion ? secrets.forRegion(region) : secrets;
}

/** A secret's string; `jsonKey` also accepts `{"<jsonKey>": "..."}` for secrets stored as JSON. */
async function secretString(
  secrets: SecretsReader,
  arn: string,
  source: SourceName,
  jsonKey?: string,
): Promise<string> {
  let value: string | undefined;
  try {
    value = (await clientFor(secrets, arn).send(new GetSecretValueCommand({ SecretId: arn })))
      .SecretString;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (name === 'AccessDeniedException') {
      throw new SourceError(
        source,
        'forbidden',
        `reading secret ${arn} was denied; grant secretsmanager:GetSecretValue on it (and kms:Decrypt on its key)`,
        { cause: error },
      );
    }
    if (name === 'ResourceNotFoundException') {
      throw new SourceError(
        source,
        'config',
        `secret ${arn} does not exist; check the ARN in the config`,
        { cause: error },
      );
    }
    throw new SourceError(
      source,
      'server',
      `reading secret ${arn} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!value)
    throw new SourceError(
      source,
      'config',
      `secret ${arn} has no string value; store it as a SecretString`,
    );
  const parsed = jsonKey ? parseJson(value) : undefined;
  const field = jsonKey ? parsed?.[jsonKey] : undefined;
  return typeof field === 'string' ? field : value.trim();
}

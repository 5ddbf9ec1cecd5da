/**
 * The EMF metrics the check handler emits, which the alarms and dashboard match by name and
 * dimensions (lib/util/metrics.ts): fleet-wide series only, the cluster and its per-severity and
 * per-source detail as plain fields, and StaleClusters from the ledger's heartbeat items. The
 * Kubernetes API test server answers; Prometheus' secret is denied.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { HandlerContext } from '../../../functions/check/handler';
import {
  CLAIM_MARGIN_SECONDS,
  claimTtlSeconds,
  handleCheck,
} from '../../../functions/check/handler';
import { PublishError } from '../../../lib/notify/publisher';
import type { SkewguardConfig } from '../../../lib/config';
import { parseConfig } from '../../../lib/config';
import {
  EMF_FIELDS,
  EMITTED_SERIES,
  HEARTBEAT_WINDOW_DIMENSION,
  METRIC_NAMES,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from '../../../lib/util/metrics';
import type { Dynalite } from '../../support/dynalite';
import { startDynalite } from '../../support/dynalite';
import { NOW } from '../../support/evaluate';
import type { KubeApiServer } from '../../support/kube-api-server';
import { startKubeApiServer } from '../../support/kube-api-server';
import { clusterDocuments } from '../../support/kube-objects';
import { handlerSuiteHooks, testHandlerContext } from '../../support/handler-context';

const TOKEN = 'skewguard-reader-token-metrics';
const TOKEN_ARN =
  'arn:aws:secretsmanager:eu-central-1:123456789012:secret:skewguard/m/token-AbCdEf';
const CA_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:skewguard/m/ca-GhIjKl';
const PROM_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:skewguard/m/prom-MnOpQr';
const CLUSTER = 'metrics-lab';
/** Both sources unreadable: the Kubernetes token's secret is denied too. */
const BLIND = 'metrics-blind';
const DENIED_ARN =
  'arn:aws:secretsmanager:eu-central-1:123456789012:secret:skewguard/m/none-StUvWx';

const [VERSION_DOC, ...OBJECT_DOCS] = clusterDocuments({
  serverVersion: 'v1.30.4',
  kubelets: { 'w-1': 'v1.30.4' },
}) as [Record<string, unknown>, ...unknown[]];

/** One EMF record: the metric values and dimensions at top level, metadata under `_aws`. */
interface EmfRecord extends Record<string, unknown> {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
}

describe('check handler metrics', () => {
  const sns = mockClient(SNSClient);
  const secrets = mockClient(SecretsManagerClient);
  let api: KubeApiServer | undefined;
  let dynamo: Dynalite | undefined;
  let config: SkewguardConfig;

  beforeAll(async () => {
    const started = await Promise.allSettled([
      startKubeApiServer({
        objects: OBJECT_DOCS,
        version: VERSION_DOC['serverVersion'] as Record<string, unknown>,
        token: TOKEN,
      }).then((server) => (api = server)),
      startDynalite().then((server) => (dynamo = server)),
    ]);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    if (!api) throw new Error('the Kubernetes API test server did not start');
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    secrets.on(GetSecretValueCommand, { SecretId: TOKEN_ARN }).resolves({ SecretString: TOKEN });
    secrets.on(GetSecretValueCommand, { SecretId: CA_ARN }).resolves({ SecretString: api.caPem });
    secrets.on(GetSecretValueCommand, { SecretId: PROM_ARN }).rejects(denied);
    secrets.on(GetSecretValueCommand, { SecretId: DENIED_ARN }).rejects(denied);
    // Never contacted: the bearer token is read first, and that read is denied.
    const prometheus = {
      url: 'https://127.0.0.1:9/prometheus',
      auth: { type: 'bearer', secretArn: PROM_ARN },
    };
    config = parseConfig({
      clusters: [
        {
          name: CLUSTER,
          kubernetes: { server: api.url, tokenSecretArn: TOKEN_ARN, caSecretArn: CA_ARN },
          prometheus,
        },
        {
          name: BLIND,
          kubernetes: { server: api.url, tokenSecretArn: DENIED_ARN, caSecretArn: CA_ARN },
          prometheus,
        },
      ],
    });
  }, 60_000);

  const suite = handlerSuiteHooks({ sns, secrets }, () =>
    Promise.all([api?.stop(), dynamo?.stop()]),
  );

  function context(): HandlerContext {
    return testHandlerContext(config, dynamo, NOW);
  }

  /** The EMF records that carry metric `name`. */
  function records(name: string): EmfRecord[] {
    return suite.output
      .records()
      .filter((r): r is EmfRecord => typeof r['_aws'] === 'object' && name in r);
  }

  /** The declared unit and dimension set of a metric in one record. */
  function declaration(record: EmfRecord, name: string) {
    const [directive] = record._aws.CloudWatchMetrics;
    return {
      namespace: directive?.Namespace,
      dimensions: [...(directive?.Dimensions[0] ?? [])].sort(),
      unit: directive?.Metrics.find((m) => m.Name === name)?.Unit,
    };
  }

  /** Every metric of every EMF line is one of EMITTED_SERIES: the bill the docs count. */
  function expectOnlyEmittedSeries(): void {
    const emf = suite.output.records().filter((r): r is EmfRecord => typeof r['_aws'] === 'object');
    expect(emf.length).toBeGreaterThan(0);
    for (const record of emf) {
      for (const directive of record._aws.CloudWatchMetrics) {
        expect(directive.Namespace).toBe(METRICS_NAMESPACE);
        const dimensions = [...(directive.Dimensions[0] ?? [])].sort();
        expect(directive.Dimensions).toHaveLength(1);
        for (const m of directive.Metrics) {
          expect(EMITTED_SERIES).toContainEqual(
            expect.objectContaining({ name: m.Name, dimensions }),
          );
        }
      }
    }
  }

  it('emits one fleet-wide line per run, the cluster a field and not a dimension', async () => {
    const summary = await handleCheck({ cluster: CLUSTER }, context());

    const lines = records(METRIC_NAMES.checkDurationMs);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    if (!line) throw new Error('no CheckDurationMs record');
    expect(line).toMatchObject({
      service: SERVICE_NAME,
      [EMF_FIELDS.cluster]: CLUSTER,
      [METRIC_NAMES.checkCompleted]: 1,
      [METRIC_NAMES.checkDurationMs]: summary.durationMs,
      [METRIC_NAMES.findingsFiring]: summary.firing,
      [EMF_FIELDS.firingCritical]: String(summary.firingBySeverity.critical),
      [EMF_FIELDS.firingWarning]: String(summary.firingBySeverity.warning),
      [EMF_FIELDS.firingInfo]: String(summary.firingBySeverity.info),
    });
    expect(summary.durationMs).toBeGreaterThanOrEqual(0);
    expect(declaration(line, METRIC_NAMES.checkDurationMs)).toEqual({
      namespace: METRICS_NAMESPACE,
      dimensions: ['service'],
      unit: 'Milliseconds',
    });
    expectOnlyEmittedSeries();
  });

  it('counts failed sources fleet-wide and names them in the line', async () => {
    const summary = await handleCheck({ cluster: CLUSTER }, context());

    expect(summary.sources).toEqual([
      expect.objectContaining({ source: 'kubernetes', status: 'ok' }),
      expect.objectContaining({ source: 'prometheus', status: 'failed', kind: 'forbidden' }),
    ]);
    const errors = records(METRIC_NAMES.sourceErrors);
    expect(
      errors.map((r) => [
        r[EMF_FIELDS.cluster],
        r[EMF_FIELDS.failedSources],
        r[METRIC_NAMES.sourceErrors],
      ]),
    ).toEqual([[CLUSTER, 'prometheus', 1]]);
    expect(declaration(errors[0]!, METRIC_NAMES.sourceErrors)).toEqual({
      namespace: METRICS_NAMESPACE,
      dimensions: ['service'],
      unit: 'Count',
    });
    // The run still completed: the heartbeat does not depend on every source answering.
    expect(records(METRIC_NAMES.checkCompleted).map((r) => r[METRIC_NAMES.checkCompleted])).toEqual(
      [1],
    );
    expectOnlyEmittedSeries();
  });

  it('counts every source when every source fails, and still the duration', async () => {
    const summary = await handleCheck({ cluster: BLIND }, context());

    expect(summary.sources.map((s) => [s.source, s.status])).toEqual([
      ['kubernetes', 'failed'],
      ['prometheus', 'failed'],
    ]);
    expect(
      records(METRIC_NAMES.sourceErrors).map((r) => [
        r[EMF_FIELDS.failedSources],
        r[METRIC_NAMES.sourceErrors],
      ]),
    ).toEqual([['kubernetes,prometheus', 2]]);
    expect(records(METRIC_NAMES.checkDurationMs).map((r) => r[EMF_FIELDS.cluster])).toEqual([
      BLIND,
    ]);
  });

  it('reports StaleClusters from the ledger: a configured cluster that never completes counts once its window passes', async () => {
    // At NOW the earlier runs (same clock) stamped both clusters: nothing is stale.
    await handleCheck({ cluster: CLUSTER }, context());
    const [fresh] = records(METRIC_NAMES.staleClusters);
    expect(fresh).toMatchObject({
      service: SERVICE_NAME,
      [HEARTBEAT_WINDOW_DIMENSION]: '300x3',
      [METRIC_NAMES.staleClusters]: 0,
    });
    expect(declaration(fresh!, METRIC_NAMES.staleClusters).dimensions).toEqual([
      HEARTBEAT_WINDOW_DIMENSION,
      'service',
    ]);

    // An hour on, only CLUSTER runs: BLIND's last success is older than its window.
    await handleCheck({ cluster: CLUSTER }, { ...context(), now: () => NOW + 3_600_000 });
    expect(records(METRIC_NAMES.staleClusters).map((r) => r[METRIC_NAMES.staleClusters])).toEqual([
      0, 1,
    ]);
    expect(logs('clusters stopped completing checks')).toEqual([
      expect.objectContaining({ level: 'WARN', stale: [BLIND] }),
    ]);
    expectOnlyEmittedSeries();
  });

  /** A DynamoDB client on dynalite whose finding Puts are recorded and, when `fail`, refused. */
  function recordingDynamo(fail: boolean): {
    client: DynamoDBClient;
    puts: Record<string, unknown>[];
  } {
    if (!dynamo) throw new Error('dynalite did not start');
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAFAKEFORTESTS', secretAccessKey: 'fake-secret-for-tests' },
      maxAttempts: 1,
    });
    const puts: Record<string, unknown>[] = [];
    client.middlewareStack.add(
      (next, handlerContext) => async (args) => {
        const item = (args.input as { Item?: Record<string, unknown> }).Item;
        // Marshalled by the document client by now: { type: { S: 'finding' } }.
        const type = (item?.['type'] as { S?: string } | undefined)?.S;
        if (/Put/.test(handlerContext.commandName ?? '') && item && type === 'finding') {
          puts.push(item);
          if (fail)
            throw Object.assign(new Error('Throughput exceeds the limit'), {
              name: 'ThrottlingException',
            });
        }
        return next(args);
      },
      { step: 'build', name: 'recordFindingPuts' },
    );
    return { client, puts };
  }

  /** Log records with `message`. */
  function logs(message: string): Record<string, unknown>[] {
    return suite.output.records().filter((r) => r['message'] === message);
  }

  it('logs and counts machine messages SNS refused, per cluster and fleet-wide', async () => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'human' });
    sns
      .on(PublishCommand, {
        MessageAttributes: { audience: { DataType: 'String', StringValue: 'machine' } },
      })
      .rejects(
        Object.assign(new Error('User is not authorized'), { name: 'AuthorizationErrorException' }),
      );
    const { client } = recordingDynamo(false);
    const summary = await handleCheck(
      { cluster: BLIND },
      // A day on, so the BLIND findings earlier tests notified are due again.
      { ...context(), dynamodb: client, now: () => NOW + 86_400_000 },
    );

    expect(summary.publishFailures).toBeGreaterThan(0);
    const failures = logs('publish failed');
    expect(failures).toHaveLength(summary.publishFailures);
    expect(failures[0]).toMatchObject({
      level: 'ERROR',
      audience: 'machine',
      errorName: 'AuthorizationErrorException',
      sk: [expect.any(String)],
      error: expect.stringContaining('User is not authorized'),
    });
    const counts = records(METRIC_NAMES.publishFailures);
    expect(counts.map((r) => [r[EMF_FIELDS.cluster], r[METRIC_NAMES.publishFailures]])).toEqual([
      [BLIND, summary.publishFailures],
    ]);
    expect(counts.map((r) => declaration(r, METRIC_NAMES.publishFailures).dimensions)).toEqual([
      ['service'],
    ]);
    expectOnlyEmittedSeries();
    // The check ran, so the heartbeat counts it; the failure alarms on its own metric.
    expect(records(METRIC_NAMES.checkCompleted)).toHaveLength(1);
    expect(logs('check completed with delivery failures')).toHaveLength(1);
    expect(logs('check completed')).toHaveLength(0);
  });

  it('counts a failed digest before the invocation fails', async () => {
    sns.reset();
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'NotFoundException' }));
    const { client } = recordingDynamo(false);
    await expect(
      handleCheck(
        { cluster: BLIND },
        { ...context(), dynamodb: client, now: () => NOW + 86_400_000 },
      ),
    ).rejects.toThrow(PublishError);
    expect(logs('publish failed')[0]).toMatchObject({
      audience: 'human',
      errorName: 'NotFoundException',
    });
    expect(
      records(METRIC_NAMES.publishFailures).map((r) => [
        r[EMF_FIELDS.cluster],
        r[METRIC_NAMES.publishFailures],
      ]),
    ).toEqual([[BLIND, 1]]);
  });

  it('logs and counts ledger writes DynamoDB refused', async () => {
    const { client } = recordingDynamo(true);
    const summary = await handleCheck(
      { cluster: BLIND },
      { ...context(), dynamodb: client, now: () => NOW + 3 * 86_400_000 },
    );

    expect(summary.ledgerWriteFailures).toBeGreaterThan(0);
    expect(logs('ledger write rejected')[0]).toMatchObject({
      level: 'ERROR',
      operation: 'put',
      errorName: 'LedgerError',
      error: expect.stringContaining('ThrottlingException'),
    });
    expect(
      records(METRIC_NAMES.ledgerWriteFailures).map((r) => r[METRIC_NAMES.ledgerWriteFailures]),
    ).toEqual([summary.ledgerWriteFailures]);
    expect(records(METRIC_NAMES.publishFailures)).toEqual([]);
  });

  it('emits no failure counts on a clean run', async () => {
    await handleCheck({ cluster: CLUSTER }, context());
    expect(records(METRIC_NAMES.publishFailures)).toEqual([]);
    expect(records(METRIC_NAMES.ledgerWriteFailures)).toEqual([]);
  });

  it('claims until the invocation times out plus a margin, not 15 minutes', async () => {
    const { client, puts } = recordingDynamo(false);
    const later = NOW + 4 * 86_400_000;
    await handleCheck(
      { cluster: BLIND },
      { ...context(), dynamodb: client, now: () => later },
      { getRemainingTimeInMillis: () => 59_500 },
    );
    const claims = puts.filter((item) => item['claimExpiresAt'] !== undefined);
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims) {
      expect((claim['claimExpiresAt'] as { S: string }).S).toBe(
        new Date(later + (60 + CLAIM_MARGIN_SECONDS) * 1000).toISOString(),
      );
    }
  });
});

describe('claimTtlSeconds', () => {
  it.each<[string, number | undefined, number | undefined]>([
    ['the remaining time, rounded up, plus the margin', 59_500, 60 + CLAIM_MARGIN_SECONDS],
    ['the ledger default without an invocation (CLI, tests)', undefined, undefined],
    ['the ledger default when the remaining time is nonsense', -1, undefined],
  ])('%s', (_name, remaining, expected) => {
    const invocation =
      remaining === undefined ? undefined : { getRemainingTimeInMillis: () => remaining };
    expect(claimTtlSeconds(invocation)).toBe(expected);
  });
});

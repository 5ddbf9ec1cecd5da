/**
 * The Lambda handler end to end: the Kubernetes API test server (token and CA from a mocked
 * Secrets Manager), the real Prometheus over a backfilled TSDB, dynalite as the ledger table and
 * a mocked SNS topic. Four scheduled runs of one cluster: pending, firing, fixed and resolved,
 * quiet.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { HandlerContext } from '../../functions/check/handler';
import { EventError, handleCheck } from '../../functions/check/handler';
import type { SkewguardConfig } from '../../lib/config';
import { parseConfig } from '../../lib/config';
import { METRIC_NAMES, SERVICE_NAME } from '../../lib/util/metrics';
import { DynamoDbLedgerStore, isFindingItem } from '../../lib/ledger';
import type { Finding } from '../../lib/rules';
import { incidentKey } from '../../lib/rules';
import type { Dynalite } from '../support/dynalite';
import { startDynalite } from '../support/dynalite';
import { handlerSuiteHooks, testHandlerContext } from '../support/handler-context';
import type { KubeApiServer } from '../support/kube-api-server';
import { startKubeApiServer } from '../support/kube-api-server';
import type { PublishedMessage } from '../support/pipeline';
import {
  LAB,
  labKubeObjects,
  labScenario,
  machineBody,
  publishedMessages,
} from '../support/pipeline';
import type { RunningPrometheus } from '../support/prometheus';
import { describeWithPrometheus, startPrometheus } from '../support/prometheus';

const TOKEN_ARN =
  'arn:aws:secretsmanager:eu-central-1:123456789012:secret:skewguard/lab/token-AbCdEf';
const CA_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:skewguard/lab/ca-GhIjKl';
const TOKEN = 'skewguard-reader-token-7f3a9c1e';

/** The same sources under three names: `for` overridden to 10m, defaults, and a race target. */
const EAGER = 'lab-eager';
const RACE = 'lab-race';
const CHAT = 'lab-chat';

const [RUN_1, RUN_2, RUN_3, RUN_4] = LAB.runs;

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

describeWithPrometheus('Lambda check handler end to end', () => {
  const sns = mockClient(SNSClient);
  const secrets = mockClient(SecretsManagerClient);
  let api: KubeApiServer | undefined;
  let prometheus: RunningPrometheus | undefined;
  let dynamo: Dynalite | undefined;
  let config: SkewguardConfig;
  /** One more cluster, in a config with a chat webhook subscribed. */
  let chatConfig: SkewguardConfig;

  beforeAll(async () => {
    // Settle all three before failing, so afterAll can stop whichever did start.
    const started = await Promise.allSettled([
      startKubeApiServer({
        objects: labKubeObjects('faulty'),
        version: LAB.apiserver,
        token: TOKEN,
      }).then((server) => (api = server)),
      startPrometheus({ openmetrics: labScenario() }).then((server) => (prometheus = server)),
      startDynalite().then((server) => (dynamo = server)),
    ]);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    if (!api || !prometheus) throw new Error('the test servers did not start');
    secrets.on(GetSecretValueCommand, { SecretId: TOKEN_ARN }).resolves({ SecretString: TOKEN });
    secrets.on(GetSecretValueCommand, { SecretId: CA_ARN }).resolves({ SecretString: api.caPem });
    const sources = {
      kubernetes: { server: api.url, tokenSecretArn: TOKEN_ARN, caSecretArn: CA_ARN },
      prometheus: { url: prometheus.url, auth: { type: 'none' }, selector: LAB.selector },
    };
    // LAB runs EKS 1.30, past its end of support at the test clock: VersionEndOfSupport would fire
    // critical in every run. These runs are about `for`, delivery and races, so it stays off here;
    // its own fixtures and the EKS source's tests cover it.
    const notSupport = { VersionEndOfSupport: { disabled: true } };
    config = parseConfig({
      defaults: { repeatInterval: '24h' },
      clusters: [
        // As examples/skewguard.config.yaml does: the kubelet skew must hold 10 minutes.
        {
          name: LAB.cluster,
          ...sources,
          rules: { KubeletVersionSkew: { for: '10m' }, ...notSupport },
        },
        { name: EAGER, ...sources, rules: notSupport },
        { name: RACE, ...sources, rules: notSupport },
      ],
    });
    chatConfig = parseConfig({
      notifications: {
        https: [
          {
            url: 'https://chat.example.com/hooks/skewguard',
            severities: ['critical', 'warning'],
            audience: 'chat',
          },
        ],
      },
      clusters: [{ name: CHAT, ...sources, rules: notSupport }],
    });
  }, 60_000);

  const suite = handlerSuiteHooks({ sns, secrets }, () =>
    Promise.all([api?.stop(), prometheus?.stop(), dynamo?.stop()]),
  );

  /** The handler's context for a run at `now`, with module-scope-style clients. */
  function context(now: number, withConfig = config): HandlerContext {
    return testHandlerContext(withConfig, dynamo, now);
  }

  function published(): PublishedMessage[] {
    return publishedMessages(
      sns.commandCalls(PublishCommand).map((call) => call.args[0].input as PublishCommandInput),
    );
  }

  /** The value of an EMF metric with the given dimensions, from the captured output. */
  function metric(name: string, dimensions: Record<string, string>): number[] {
    return suite.output
      .records()
      .filter((r) => typeof r['_aws'] === 'object' && name in r)
      .filter((r) => Object.entries(dimensions).every(([k, v]) => r[k] === v))
      .map((r) => r[name] as number);
  }

  const bothSourcesOk = [
    { source: 'kubernetes', status: 'ok', consecutiveFailures: 0 },
    { source: 'prometheus', status: 'ok', consecutiveFailures: 0 },
  ];

  describe('the event', () => {
    it('names the known clusters when the event names an unknown one', async () => {
      const requestsBefore = api?.requests.length;

      const unknown = handleCheck({ cluster: 'staging' }, context(RUN_1));
      await expect(unknown).rejects.toBeInstanceOf(EventError);
      await expect(unknown).rejects.toThrow(
        `unknown cluster "staging" in the event; the config has: ${LAB.cluster}, ${EAGER}, ${RACE}`,
      );
      await expect(handleCheck({}, context(RUN_1))).rejects.toThrow(
        'the event must be {"cluster": "<name>"}; got {}',
      );
      // Rejected before anything was read or sent.
      expect(api?.requests.length).toBe(requestsBefore);
      expect(published()).toEqual([]);
    });
  });

  // Before the lab's fault is fixed (run 3 below), at the time of its run 1.
  describe('the same cluster with the catalogue defaults', () => {
    it('fires the `for` 0 finding in the first run while the dated one stays pending', async () => {
      const summary = await handleCheck({ cluster: EAGER }, context(RUN_1));

      expect(summary).toMatchObject({ cluster: EAGER, firing: 1, notified: 1 });
      expect(published().map((m) => m.attributes)).toEqual([
        {
          audience: 'human',
          severity: 'critical',
          cluster: EAGER,
          status: 'changed',
          ruleId: 'KubeletVersionSkew',
        },
        {
          audience: 'machine',
          severity: 'critical',
          cluster: EAGER,
          status: 'firing',
          ruleId: 'KubeletVersionSkew',
        },
      ]);
      const pending = (await ledgerItems(EAGER)).filter((i) => i.status === 'pending');
      expect(pending.map((i) => i.ruleId)).toContain('DeploymentGenerationMismatch');
    });

    it('two invocations at the same time send one human and one machine message', async () => {
      const summaries = await Promise.all([
        handleCheck({ cluster: RACE }, context(RUN_1)),
        handleCheck({ cluster: RACE }, context(RUN_1)),
      ]);

      expect(summaries.map((s) => s.notified).sort()).toEqual([0, 1]);
      expect(published().map((m) => [m.attributes['audience'], m.attributes['ruleId']])).toEqual([
        ['human', 'KubeletVersionSkew'],
        ['machine', 'KubeletVersionSkew'],
      ]);
    });

    it('also publishes chat messages when a chat webhook is subscribed', async () => {
      await handleCheck({ cluster: CHAT }, context(RUN_1, chatConfig));

      const messages = published();
      expect(messages.map((m) => m.attributes['audience'])).toEqual(['human', 'machine', 'chat']);
      const chat = messages[2];
      expect(chat?.attributes).toMatchObject({ cluster: CHAT, severity: 'critical' });
      expect(JSON.parse(chat?.body ?? '{}')).toMatchObject({
        version: '1.0',
        source: 'custom',
        content: { title: expect.stringContaining('KubeletVersionSkew') },
      });
    });
  });

  describe('a cluster whose findings wait for `for`', () => {
    let firing: PublishedMessage[] = [];

    it('run 1: the conditions are pending and nothing is sent', async () => {
      const summary = await handleCheck({ cluster: LAB.cluster }, context(RUN_1));

      expect(summary).toEqual({
        cluster: LAB.cluster,
        firing: 0,
        resolved: 0,
        notified: 0,
        held: 0,
        firingBySeverity: { critical: 0, warning: 0, info: 0 },
        publishFailures: 0,
        ledgerWriteFailures: 0,
        sources: bothSourcesOk,
        durationMs: expect.any(Number),
      });
      expect(published()).toEqual([]);
      const items = await ledgerItems(LAB.cluster);
      expect(items.map((i) => [i.ruleId, i.status]).sort()).toEqual([
        // Waits 24h: a mismatch that lasts a day is a stalled upgrade.
        ['ComponentVersionMismatch', 'pending'],
        ['DeploymentGenerationMismatch', 'pending'],
        ['KubeletVersionSkew', 'pending'],
      ]);
      // Prometheus' history dates the generation mismatch; the API alone could not.
      expect(items.find((i) => i.ruleId === 'DeploymentGenerationMismatch')?.since).toBe(
        iso(LAB.generationChangedAt),
      );
      // It dates the kubelet skew too, from the canary's join: no earlier (never a `for` cut
      // short), within one step of the history query that also serves the 24 h mismatch.
      const kubeletSince = Date.parse(
        items.find((i) => i.ruleId === 'KubeletVersionSkew')?.since ?? 'not dated',
      );
      expect(kubeletSince).toBeGreaterThanOrEqual(LAB.canaryJoinedAt);
      expect(kubeletSince).toBeLessThan(LAB.canaryJoinedAt + 10 * 60_000);
    });

    it('run 2, past every `for`: one human message and one machine message per firing finding', async () => {
      const summary = await handleCheck({ cluster: LAB.cluster }, context(RUN_2));

      expect(summary).toEqual({
        cluster: LAB.cluster,
        firing: 2,
        resolved: 0,
        notified: 2,
        held: 0,
        firingBySeverity: { critical: 2, warning: 0, info: 0 },
        publishFailures: 0,
        ledgerWriteFailures: 0,
        sources: bothSourcesOk,
        durationMs: expect.any(Number),
      });
      const [human, ...others] = published();
      // Two rules in one digest: no ruleId attribute.
      expect(human?.attributes).toEqual({
        audience: 'human',
        severity: 'critical',
        cluster: LAB.cluster,
        status: 'changed',
      });
      expect(human?.subject).toBe(
        '[CRITICAL] lab: 2 new - DeploymentGenerationMismatch, KubeletVersionSkew',
      );
      firing = others;
      expect(firing.map((m) => m.attributes)).toEqual(
        ['DeploymentGenerationMismatch', 'KubeletVersionSkew'].map((ruleId) => ({
          audience: 'machine',
          severity: 'critical',
          cluster: LAB.cluster,
          status: 'firing',
          ruleId,
        })),
      );
      const [generation, kubelet] = firing.map(machineBody);
      expect(generation).toMatchObject({
        version: 1,
        status: 'firing',
        cluster: LAB.cluster,
        ruleId: 'DeploymentGenerationMismatch',
        severity: 'critical',
        subject: { kind: 'Deployment', namespace: 'shop', name: 'web' },
        since: iso(LAB.generationChangedAt),
        firstSeen: iso(RUN_1),
        occurredAt: iso(RUN_2),
      });
      expect(kubelet).toMatchObject({
        status: 'firing',
        ruleId: 'KubeletVersionSkew',
        details: expect.objectContaining({ nodes: ['ip-10-0-3-1'] }),
        firstSeen: iso(RUN_1),
      });
      expect(Date.parse(String(kubelet?.['since']))).toBeGreaterThanOrEqual(LAB.canaryJoinedAt);
      const firingKeys = (await ledgerItems(LAB.cluster))
        .filter((i) => i.status === 'firing')
        .map((i) => i.sk);
      // Each message names its finding's own ledger key; dedupKey is the incident's, which for a
      // Deployment's rollout finding is the workload's (lib/rules/incident.ts).
      expect(firing.map((m) => machineBody(m)['fingerprint']).sort()).toEqual(firingKeys.sort());
      for (const body of firing.map(machineBody)) {
        const finding = body as unknown as Finding;
        expect(body['dedupKey']).toBe(incidentKey(LAB.cluster, finding));
      }
      // The digest carries each finding's runbook and the filled-in kubectl commands.
      for (const body of [generation, kubelet]) expect(human?.body).toContain(body?.['runbookUrl']);
      expect(human?.body).toContain(
        "kubectl -n shop get deployment web -o jsonpath='{.metadata.generation} {.status.observedGeneration}'",
      );

      // Fleet-wide series; the cluster and the per-severity counts are plain fields of the line.
      const line = { service: SERVICE_NAME, cluster: LAB.cluster, firingCritical: '2' };
      expect(metric(METRIC_NAMES.findingsFiring, line)).toEqual([2]);
      expect(metric(METRIC_NAMES.checkCompleted, line)).toEqual([1]);
      expect(metric(METRIC_NAMES.sourceErrors, { ...line, failedSources: '' })).toEqual([0]);
      // The heartbeat from the ledger: EAGER and RACE have not run since run 1 seeded them.
      expect(
        metric(METRIC_NAMES.staleClusters, { service: SERVICE_NAME, heartbeatWindow: '300x3' }),
      ).toEqual([2]);
      // Structured logs, and never the token read from Secrets Manager.
      expect(suite.output.records()).toContainEqual(
        expect.objectContaining({ message: 'check completed', cluster: LAB.cluster, firing: 2 }),
      );
      expect(suite.output.lines().join('\n')).not.toContain(TOKEN);
    });

    it('run 3, after the fix: one human message and a resolved machine message per finding', async () => {
      api?.setObjects(labKubeObjects('healthy'));

      const summary = await handleCheck({ cluster: LAB.cluster }, context(RUN_3));

      expect(summary).toMatchObject({
        firing: 0,
        resolved: 2,
        notified: 2,
        held: 0,
        sources: bothSourcesOk,
      });
      const [human, ...resolved] = published();
      expect(human?.attributes).toEqual({
        audience: 'human',
        severity: 'critical',
        cluster: LAB.cluster,
        status: 'changed',
      });
      expect(human?.subject).toBe(
        '[RESOLVED] lab: 2 resolved - DeploymentGenerationMismatch, KubeletVersionSkew',
      );
      expect(resolved.map((m) => m.attributes)).toEqual(
        ['DeploymentGenerationMismatch', 'KubeletVersionSkew'].map((ruleId) => ({
          audience: 'machine',
          severity: 'critical',
          cluster: LAB.cluster,
          status: 'resolved',
          ruleId,
        })),
      );
      // The same dedupKey as the firing message, so a pager closes the incident it opened.
      expect(resolved.map((m) => machineBody(m)['dedupKey'])).toEqual(
        firing.map((m) => machineBody(m)['dedupKey']),
      );
      for (const message of resolved) {
        expect(machineBody(message)).toMatchObject({
          status: 'resolved',
          resolvedAt: iso(RUN_3),
          occurredAt: iso(RUN_3),
        });
      }
    });

    it('run 4: nothing changed, nothing is sent', async () => {
      const summary = await handleCheck({ cluster: LAB.cluster }, context(RUN_4));

      expect(summary).toMatchObject({
        firing: 0,
        resolved: 0,
        notified: 0,
        held: 0,
        sources: bothSourcesOk,
      });
      expect(published()).toEqual([]);
      const items = await ledgerItems(LAB.cluster);
      expect(items.map((i) => i.ruleId).sort()).toEqual([
        'DeploymentGenerationMismatch',
        'KubeletVersionSkew',
      ]);
      for (const item of items) {
        expect(item).toMatchObject({
          status: 'resolved',
          notifiedStatus: 'resolved',
          notifyCount: 2,
          expiresAt: expect.any(Number),
        });
      }
    });
  });

  /** The finding items the ledger table holds for a cluster. */
  async function ledgerItems(cluster: string) {
    if (!dynamo) throw new Error('dynalite did not start');
    const stored = await new DynamoDbLedgerStore(dynamo.client, dynamo.tableName).load(cluster);
    return stored.filter(isFindingItem);
  }
});

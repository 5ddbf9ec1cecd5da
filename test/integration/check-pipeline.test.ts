/**
 * The check pipeline (lib/check.ts runCheck) over the in-memory ledger with scripted sources:
 * source failures and SourceUnavailable, overlapping runs, publish failures and `for`.
 */
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import {
  AuthorizationErrorException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { CheckDeps, CheckResult } from '../../lib/check';
import { runCheck } from '../../lib/check';
import { SourceError } from '../../lib/collect/errors';
import type { LedgerStore } from '../../lib/ledger';
import { Ledger, MemoryLedgerStore } from '../../lib/ledger';
import type { Notifier } from '../../lib/notify/publisher';
import { PublishError } from '../../lib/notify/publisher';
import { SnsNotifier } from '../../lib/notify/sns';
import type { ClusterSnapshot } from '../../lib/rules';
import { DEFAULT_POLICY, evaluate } from '../../lib/rules';
import { NOW, snapshotOf } from '../support/evaluate';
import { clusterDocuments } from '../support/kube-objects';
import {
  machineBody,
  OverlappingStore,
  publishedMessages,
  RecordingNotifier,
  ScriptedCollector,
} from '../support/pipeline';
import {
  ago,
  availableCondition,
  deployment,
  progressingCondition,
} from '../unit/rules/rollout/support/kubectl';

const CLUSTER = 'prod-eu';
const MINUTE = 60_000;
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:skewguard';

// Minors in upstream support at the test clock (2026-11-21), so only the skew under test fires.
/** kubelet 1.37 on node-b is newer than the 1.36 apiserver: KubeletVersionSkew, `for` 0. */
const SKEWED: ClusterSnapshot = snapshotOf(
  clusterDocuments({
    serverVersion: 'v1.36.4',
    // The factory's default kubectl (1.31) would be out of policy against 1.36 and add a finding.
    kubectlVersion: 'v1.36.0',
    kubelets: { 'node-a': 'v1.36.4', 'node-b': 'v1.37.1' },
  }),
);

/** Two kubelet groups out of policy (1.37 ahead, 1.32 four minors behind): two findings. */
const TWO_SKEWS: ClusterSnapshot = snapshotOf(
  clusterDocuments({
    serverVersion: 'v1.36.4',
    // The factory's default kubectl (1.31) would be out of policy against 1.36 and add a finding.
    kubectlVersion: 'v1.36.0',
    kubelets: { 'node-a': 'v1.36.4', 'node-b': 'v1.37.1', 'node-c': 'v1.32.15' },
  }),
);

/** Every component on 1.36.4. */
const HEALTHY: ClusterSnapshot = snapshotOf(
  clusterDocuments({
    serverVersion: 'v1.36.4',
    // The factory's default kubectl (1.31) would be out of policy against 1.36 and add a finding.
    kubectlVersion: 'v1.36.0',
    kubelets: { 'node-a': 'v1.36.4', 'node-b': 'v1.36.4' },
  }),
);

/** shop/web at generation 2, observed 1: DeploymentGenerationMismatch, `for` 10m, no since. */
const UNOBSERVED: ClusterSnapshot = snapshotOf([
  deployment({
    namespace: 'shop',
    name: 'web',
    replicas: 2,
    image: 'shop/web:2.4.0',
    revision: 1,
    generation: 2,
    observedGeneration: 1,
    status: { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
    conditions: [
      availableCondition(true, ago(290)),
      progressingCondition('complete', 'web-7c9d8f6b5', ago(600), ago(290)),
    ],
  }),
]);

const tlsFailure = (): SourceError =>
  new SourceError(
    'kubernetes',
    'tls',
    'TLS verification of https://10.20.0.10:6443 failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE); store the API server CA in caSecretArn',
  );
const timeout = (): SourceError =>
  new SourceError(
    'prometheus',
    'timeout',
    'no complete answer from Prometheus at https://prometheus.lab within 20000 ms',
  );

interface Harness {
  readonly kubernetes: ScriptedCollector;
  readonly prometheus: ScriptedCollector;
  readonly notifier: RecordingNotifier;
  /** One run at `minutes` after NOW. */
  run(minutes: number, notifier?: Notifier): Promise<CheckResult>;
}

function harness(store: LedgerStore = new MemoryLedgerStore()): Harness {
  const kubernetes = new ScriptedCollector('kubernetes');
  const prometheus = new ScriptedCollector('prometheus');
  const notifier = new RecordingNotifier();
  const ledger = new Ledger(store);
  return {
    kubernetes,
    prometheus,
    notifier,
    run: (minutes, other) => {
      const deps: CheckDeps = {
        collectors: [kubernetes, prometheus],
        ledger,
        notifier: other ?? notifier,
        policy: DEFAULT_POLICY,
      };
      return runCheck(CLUSTER, deps, NOW + minutes * MINUTE);
    },
  };
}

function ruleIds(result: CheckResult): string[] {
  return result.evaluation.findings.map((f) => f.ruleId);
}

function coverageOf(result: CheckResult, ruleId: string): string | undefined {
  return result.evaluation.coverage.find((c) => c.ruleId === ruleId)?.status;
}

/** A run on an existing store with fresh collectors answering `snapshot`. */
async function runOn(
  store: LedgerStore,
  snapshot: ClusterSnapshot,
  notifier: Notifier,
  minutes: number,
): Promise<CheckResult> {
  const h = harness(store);
  h.kubernetes.answer(snapshot);
  h.prometheus.answer(snapshot);
  return h.run(minutes, notifier);
}

/** Fingerprints of the findings that fire at once (`for` 0) in a run of CLUSTER on `snapshot`. */
function immediateFingerprints(snapshot: ClusterSnapshot): string[] {
  return evaluate({ ...snapshot, cluster: CLUSTER }, DEFAULT_POLICY, NOW)
    .findings.filter((f) => f.forSeconds === 0)
    .map((f) => f.fingerprint);
}

/** Rejects with a clear message instead of letting a deadlocked run reach the Jest timeout. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('runCheck: sources', () => {
  it('collects every source at once: each waits for the other to have started', async () => {
    const h = harness();
    h.kubernetes.answer(HEALTHY).holdUntil(h.prometheus.started);
    h.prometheus.answer(HEALTHY).holdUntil(h.kubernetes.started);

    const result = await within(2000, 'a run with two interlocked sources', h.run(0));

    expect(result.summary.sources.map((s) => [s.source, s.status])).toEqual([
      ['kubernetes', 'ok'],
      ['prometheus', 'ok'],
    ]);
  });

  it('one failing source never stops the other: its findings are evaluated and notified, the failure reported with its kind', async () => {
    const h = harness();
    h.kubernetes.fail(tlsFailure());
    h.prometheus.answer(SKEWED);

    const result = await h.run(0);

    expect(result.summary.sources).toEqual([
      {
        source: 'kubernetes',
        status: 'failed',
        kind: 'tls',
        reason: tlsFailure().message,
        consecutiveFailures: 1,
        unavailable: false,
      },
      { source: 'prometheus', status: 'ok', consecutiveFailures: 0 },
    ]);
    expect(coverageOf(result, 'KubeletVersionSkew')).toBe('evaluated');
    expect(ruleIds(result)).toContain('KubeletVersionSkew');
    expect(h.notifier.count('firing', 'KubeletVersionSkew')).toBe(1);
    // One failed run is not yet an outage.
    expect(ruleIds(result)).not.toContain('SourceUnavailable');
    expect(result.summary).toMatchObject({ cluster: CLUSTER, firing: 1, notified: 1, resolved: 0 });
  });

  it("follows the ledger's configured failure threshold for SourceUnavailable", async () => {
    const ledger = new Ledger(new MemoryLedgerStore(), { sourceFailureThreshold: 2 });
    const collectors = [
      { source: 'kubernetes' as const, collect: () => Promise.reject(tlsFailure()) },
      { source: 'prometheus' as const, collect: async () => HEALTHY },
    ];
    const notifier = new RecordingNotifier();
    const run = (minute: number) =>
      runCheck(
        CLUSTER,
        { collectors, ledger, notifier, policy: DEFAULT_POLICY },
        NOW + minute * 60_000,
      );
    expect(ruleIds(await run(0))).not.toContain('SourceUnavailable');
    const second = await run(5);
    expect(ruleIds(second)).toContain('SourceUnavailable');
    expect(second.summary.sources[0]).toMatchObject({ consecutiveFailures: 2, unavailable: true });
  });

  it('names an unexpected collector error as a protocol failure instead of crashing the run', async () => {
    const h = harness();
    h.kubernetes.fail(new TypeError("Cannot read properties of undefined (reading 'items')"));
    h.prometheus.answer(HEALTHY);

    const result = await h.run(0);

    expect(result.summary.sources[0]).toEqual({
      source: 'kubernetes',
      status: 'failed',
      kind: 'protocol',
      reason: "unexpected error: Cannot read properties of undefined (reading 'items')",
      consecutiveFailures: 1,
      unavailable: false,
    });
  });

  it('raises SourceUnavailable after the third failed run (not the first or second) and resolves it when the source answers', async () => {
    const h = harness();
    h.kubernetes.fail(tlsFailure());
    h.prometheus.answer(HEALTHY);

    for (const [minutes, failures] of [
      [0, 1],
      [5, 2],
    ] as const) {
      const result = await h.run(minutes);
      expect(result.summary.sources[0]).toMatchObject({ consecutiveFailures: failures });
      expect(ruleIds(result)).not.toContain('SourceUnavailable');
    }
    expect(h.notifier.attempts).toBe(0);

    const third = await h.run(10);
    const [unavailable] = third.evaluation.findings.filter((f) => f.ruleId === 'SourceUnavailable');
    expect(unavailable).toMatchObject({
      severity: 'critical',
      subject: { kind: 'Source', name: 'kubernetes' },
      details: {
        source: 'kubernetes',
        errorKind: 'tls',
        consecutiveFailures: 3,
        allSourcesFailed: false,
      },
    });
    expect(h.notifier.sent()).toEqual([
      expect.objectContaining({
        kind: 'firing',
        ruleId: 'SourceUnavailable',
        severity: 'critical',
      }),
    ]);

    h.kubernetes.answer(HEALTHY);
    const recovered = await h.run(15);
    expect(recovered.summary.sources[0]).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    expect(recovered.summary).toMatchObject({ firing: 0, resolved: 1, notified: 1 });
    expect(h.notifier.sent().slice(1)).toEqual([
      expect.objectContaining({ kind: 'resolved', ruleId: 'SourceUnavailable' }),
    ]);

    // Failures count again from one after a success.
    h.kubernetes.fail(tlsFailure());
    const again = await h.run(20);
    expect(again.summary.sources[0]).toMatchObject({ consecutiveFailures: 1 });
    expect(ruleIds(again)).not.toContain('SourceUnavailable');
  });

  it('raises SourceUnavailable at once when every source failed, keeps open findings open, and resolves on recovery', async () => {
    const h = harness();
    h.kubernetes.answer(SKEWED);
    h.prometheus.answer(SKEWED);
    await h.run(0);
    expect(h.notifier.count('firing', 'KubeletVersionSkew')).toBe(1);

    h.kubernetes.fail(tlsFailure());
    h.prometheus.fail(timeout());
    const outage = await h.run(5);
    expect(
      outage.evaluation.findings
        .filter((f) => f.ruleId === 'SourceUnavailable')
        .map((f) => [
          f.subject.name,
          f.details['consecutiveFailures'],
          f.details['allSourcesFailed'],
        ]),
    ).toEqual([
      ['kubernetes', 1, true],
      ['prometheus', 1, true],
    ]);
    expect(h.notifier.count('firing', 'SourceUnavailable')).toBe(2);
    // Nothing could be evaluated, so the open skew finding neither resolves nor passes.
    expect(coverageOf(outage, 'KubeletVersionSkew')).toBe('skipped');
    expect(h.notifier.count('resolved')).toBe(0);
    expect(outage.summary.firing).toBe(3);

    h.kubernetes.answer(SKEWED);
    h.prometheus.answer(SKEWED);
    const recovered = await h.run(10);
    expect(h.notifier.count('resolved', 'SourceUnavailable')).toBe(2);
    expect(h.notifier.count('resolved', 'KubeletVersionSkew')).toBe(0);
    // Still firing and already told: no second firing notice for the skew.
    expect(h.notifier.count('firing', 'KubeletVersionSkew')).toBe(1);
    expect(recovered.summary).toMatchObject({ firing: 1, resolved: 2, notified: 2 });
  });
});

describe('runCheck: overlapping runs', () => {
  it('two runs of one cluster at the same time send exactly one firing notice per finding', async () => {
    const store = new OverlappingStore(new MemoryLedgerStore(), 2);
    const h = harness(store);
    h.kubernetes.answer(TWO_SKEWS);
    h.prometheus.answer(TWO_SKEWS);

    const [a, b] = await Promise.all([h.run(0), h.run(0)]);

    const fingerprints = immediateFingerprints(TWO_SKEWS);
    expect(fingerprints.length).toBeGreaterThanOrEqual(2);
    for (const fingerprint of fingerprints) {
      expect(h.notifier.sent().filter((s) => s.fingerprint === fingerprint)).toHaveLength(1);
    }
    // Both planned the same notices; the one that lost the claim left them to the winner.
    expect(a.delivery.delivered.length + b.delivery.delivered.length).toBe(fingerprints.length);
    expect(a.delivery.lostRace.length + b.delivery.lostRace.length).toBe(fingerprints.length);
    expect([...a.ledgerFailures, ...b.ledgerFailures]).toEqual([]);

    const later = await runOn(store, TWO_SKEWS, h.notifier, 5);
    expect(later.delivery.delivered).toEqual([]);
    expect(h.notifier.sent()).toHaveLength(fingerprints.length);
  });
});

describe('runCheck: publish failures', () => {
  const sns = mockClient(SNSClient);
  const client = new SNSClient({ region: 'eu-west-1' });
  const snsNotifier = (): SnsNotifier =>
    new SnsNotifier(client, { topicArn: TOPIC, sleep: async () => undefined, random: () => 0 });
  const inputs = (): PublishCommandInput[] =>
    sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

  beforeEach(() => sns.reset());
  afterAll(() => sns.restore());

  it('delivers a notice whose publish threw on the next run, exactly once', async () => {
    const h = harness();
    h.kubernetes.answer(SKEWED);
    h.prometheus.answer(SKEWED);
    h.notifier.failNext(1);

    await expect(h.run(0)).rejects.toBeInstanceOf(PublishError);
    expect(h.notifier.sent()).toEqual([]);

    const retried = await h.run(5);
    expect(retried.summary.notified).toBe(1);
    expect(h.notifier.sent()).toEqual([
      expect.objectContaining({ kind: 'firing', ruleId: 'KubeletVersionSkew' }),
    ]);

    await h.run(10);
    expect(h.notifier.sent()).toHaveLength(1);
    expect(h.notifier.attempts).toBe(2);
  });

  it('SNS refuses, then accepts: the next run sends the digest and the machine message once', async () => {
    const h = harness();
    h.kubernetes.answer(SKEWED);
    h.prometheus.answer(SKEWED);
    sns.on(PublishCommand).rejects(
      new AuthorizationErrorException({
        message: 'User is not authorized to perform: SNS:Publish',
        $metadata: { httpStatusCode: 403 },
      }),
    );

    await expect(h.run(0, snsNotifier())).rejects.toMatchObject({
      name: 'PublishError',
      audience: 'human',
      message: expect.stringContaining('allow sns:Publish on the topic'),
    });
    // The digest failed, so nothing else was tried.
    expect(inputs()).toHaveLength(1);

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const retried = await h.run(5, snsNotifier());
    const messages = publishedMessages(inputs());
    expect(messages.map((m) => [m.attributes['audience'], m.attributes['status']])).toEqual([
      ['human', 'changed'],
      ['machine', 'firing'],
    ]);
    expect(machineBody(messages[1]!)).toMatchObject({
      ruleId: 'KubeletVersionSkew',
      status: 'firing',
    });
    expect(retried.summary.notified).toBe(1);

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await h.run(10, snsNotifier());
    expect(inputs()).toEqual([]);
  });

  it('a machine message SNS keeps throttling is sent again next run; the delivered one is not', async () => {
    const h = harness();
    h.kubernetes.answer(TWO_SKEWS);
    h.prometheus.answer(TWO_SKEWS);
    const [flaky, steady] = immediateFingerprints(TWO_SKEWS);
    expect(flaky).toBeDefined();
    expect(steady).toBeDefined();
    sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      const audience = input.MessageAttributes?.['audience']?.StringValue;
      if (audience === 'machine' && input.Message?.includes(`"dedupKey":"${flaky}"`)) {
        throw new ThrottledException({
          message: 'Rate exceeded',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return { MessageId: 'm' };
    });

    const first = await h.run(0, snsNotifier());
    expect(first.delivery.undelivered.map((t) => t.item.sk)).toEqual([flaky]);
    expect(first.delivery.delivered.map((t) => t.item.sk)).toContain(steady);

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const second = await h.run(5, snsNotifier());
    const machine = publishedMessages(inputs()).filter(
      (m) => m.attributes['audience'] === 'machine',
    );
    expect(machine.map((m) => machineBody(m)['dedupKey'])).toEqual([flaky]);
    expect(second.delivery.delivered.map((t) => t.item.sk)).toEqual([flaky]);
  });
});

describe('runCheck: for', () => {
  it('holds a finding with for 10m and no since as pending, then fires it in a run 11 minutes later', async () => {
    const h = harness();
    h.kubernetes.answer(UNOBSERVED);
    h.prometheus.answer(UNOBSERVED);

    const first = await h.run(0);
    const [mismatch] = first.evaluation.findings;
    expect(mismatch).toMatchObject({ ruleId: 'DeploymentGenerationMismatch', forSeconds: 600 });
    expect(mismatch?.since).toBeUndefined();
    expect(first.delivery.items).toEqual([
      expect.objectContaining({ ruleId: 'DeploymentGenerationMismatch', status: 'pending' }),
    ]);
    expect(first.summary).toMatchObject({ firing: 0, notified: 0 });

    const middle = await h.run(5);
    expect(middle.summary).toMatchObject({ firing: 0, notified: 0 });
    expect(h.notifier.attempts).toBe(0);

    const later = await h.run(11);
    expect(later.summary).toMatchObject({ firing: 1, notified: 1 });
    expect(h.notifier.sent()).toEqual([
      expect.objectContaining({ kind: 'firing', ruleId: 'DeploymentGenerationMismatch' }),
    ]);
  });
});

/**
 * Test doubles and fixtures for the check pipeline (lib/check.ts) and the Lambda handler:
 * scripted collectors, a recording notifier, a ledger store that makes two runs overlap for
 * certain, readers of what SNS and Powertools were given, and the "lab" cluster the end-to-end
 * test serves from the Kubernetes API test server and the real Prometheus.
 */
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { SourceCollector } from '../../lib/collect/source-collector';
import type { LedgerStore, StoredItem, Transition, WriteOutcome } from '../../lib/ledger';
import type { NotificationBatch, Notifier, PublishResult } from '../../lib/notify/publisher';
import { deliveryResult, PublishError, transitionKey } from '../../lib/notify/publisher';
import type { ClusterSnapshot, SourceName } from '../../lib/rules';
import {
  ago,
  availableCondition,
  deployment,
  progressingCondition,
  replicaSet,
  replicaSetName,
  replicaSetPod,
  running,
} from '../unit/rules/rollout/support/kubectl';
import { kubeProxyPod, list, node } from './kube-objects';
import type { Scenario } from './openmetrics';
import { constant, steps } from './openmetrics';
import type { ClusterMetrics } from './prometheus-scenarios';
import { multiClusterScenario, WINDOW } from './prometheus-scenarios';

// ---------------------------------------------------------------------------------------------
// Collectors, notifier and store for runCheck

/** What a scripted collector does on its next collections. */
type Behaviour =
  | { readonly kind: 'answer'; readonly snapshot: ClusterSnapshot }
  | { readonly kind: 'fail'; readonly error: unknown };

/** A source whose answer the test sets: a snapshot, or an error (as a broken source throws). */
export class ScriptedCollector implements SourceCollector {
  /** Collections so far. */
  calls = 0;
  /** Settles when the first collection starts. */
  readonly started: Promise<void>;
  private markStarted!: () => void;
  private behaviour: Behaviour | undefined;
  private gate: Promise<void> | undefined;

  constructor(readonly source: SourceName) {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
  }

  /** From now on, answers with `snapshot`. */
  answer(snapshot: ClusterSnapshot): this {
    this.behaviour = { kind: 'answer', snapshot };
    return this;
  }

  /** From now on, fails with `error`. */
  fail(error: unknown): this {
    this.behaviour = { kind: 'fail', error };
    return this;
  }

  /** Collections wait for `gate` before they answer (to line up concurrent runs). */
  holdUntil(gate: Promise<void> | undefined): this {
    this.gate = gate;
    return this;
  }

  /** Answers or fails as scripted; a collector nobody scripted is a test bug, said so. */
  async collect(): Promise<ClusterSnapshot> {
    this.calls += 1;
    this.markStarted();
    if (this.gate) await this.gate;
    const behaviour = this.behaviour;
    if (!behaviour) throw new Error(`test bug: the ${this.source} collector was never scripted`);
    if (behaviour.kind === 'fail') throw behaviour.error;
    return behaviour.snapshot;
  }
}

/** A transition as the notifier received it, reduced to what the tests compare. */
export interface SentNotice {
  readonly kind: Transition['kind'];
  readonly ruleId: string;
  readonly fingerprint: string;
  readonly severity: string;
}

/** A Notifier that records every batch it delivers; it can be told to fail the next publishes. */
export class RecordingNotifier implements Notifier {
  /** Batches published successfully, in order. */
  readonly batches: NotificationBatch[] = [];
  /** Every publish call, failed ones included. */
  attempts = 0;
  private failuresLeft = 0;

  /** The next `count` publishes throw PublishError, as SNS does when the digest cannot go out. */
  failNext(count = 1): this {
    this.failuresLeft = count;
    return this;
  }

  /** Records the batch and reports every transition delivered, or throws when told to fail. */
  async publish(batch: NotificationBatch): Promise<PublishResult> {
    this.attempts += 1;
    // Yield once, as a real transport does, so overlapping runs interleave around the publish.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new PublishError(
        `publishing the human digest for ${batch.cluster} failed: Throttling`,
        {
          audience: 'human',
          messageLabel: `human digest for ${batch.cluster}`,
          undelivered: batch.transitions.map(transitionKey),
          attempts: 1,
          retryable: true,
        },
      );
    }
    this.batches.push(batch);
    return deliveryResult(batch.transitions, 1, []);
  }

  /** Every delivered transition, in delivery order. */
  sent(): SentNotice[] {
    return this.batches.flatMap((b) =>
      b.transitions.map((t) => ({
        kind: t.kind,
        ruleId: t.finding.ruleId,
        fingerprint: t.finding.fingerprint,
        severity: t.finding.severity,
      })),
    );
  }

  /** How many delivered transitions match. */
  count(kind: Transition['kind'], ruleId?: string): number {
    return this.sent().filter(
      (s) => s.kind === kind && (ruleId === undefined || s.ruleId === ruleId),
    ).length;
  }
}

/**
 * A store that holds every finding write until `parties` runs have loaded their plan, so they
 * all plan from the same state and really race for the claim. A gate that never opens (a run
 * failed before planning) fails the writes after `timeoutMs` instead of hanging the test.
 */
export class OverlappingStore implements LedgerStore {
  private planned = 0;
  private open!: () => void;
  private readonly gate: Promise<void>;
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;

  constructor(
    private readonly inner: LedgerStore,
    private readonly parties: number,
    timeoutMs = 2000,
  ) {
    this.gate = new Promise((resolve) => (this.open = resolve));
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.open();
    }, timeoutMs);
  }

  /** Loads from the inner store; a load of the whole partition is a run planning. */
  async load(cluster: string, skPrefix?: string): Promise<readonly StoredItem[]> {
    const items = await this.inner.load(cluster, skPrefix);
    // Source health loads by prefix; only the ledger's plan reads the whole partition.
    if (skPrefix === undefined) {
      this.planned += 1;
      if (this.planned >= this.parties) {
        clearTimeout(this.timer);
        this.open();
      }
    }
    return items;
  }

  /** Source health writes pass; finding writes wait until every run has planned. */
  async put(item: StoredItem, expectedVersion: number | undefined): Promise<WriteOutcome> {
    if (item.type === 'finding') await this.waitForAllPlans();
    return this.inner.put(item, expectedVersion);
  }

  /** Deletes wait like finding writes. */
  async delete(cluster: string, sk: string, expectedVersion: number): Promise<WriteOutcome> {
    await this.waitForAllPlans();
    return this.inner.delete(cluster, sk, expectedVersion);
  }

  private async waitForAllPlans(): Promise<void> {
    await this.gate;
    if (this.timedOut) {
      throw new Error(
        `test bug: only ${this.planned} of ${this.parties} runs planned; the runs did not overlap`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What the Lambda handed to SNS and to stdout

/** One SNS Publish as the topic's subscribers would see it. */
export interface PublishedMessage {
  readonly subject?: string;
  readonly body: string;
  /** Message attributes by name (every skewguard attribute is a String). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Reduces PublishCommand inputs to subject, body and string attributes. */
export function publishedMessages(inputs: readonly PublishCommandInput[]): PublishedMessage[] {
  return inputs.map((input) => ({
    ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
    body: input.Message ?? '',
    attributes: Object.fromEntries(
      Object.entries(input.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        value.StringValue ?? '',
      ]),
    ),
  }));
}

/** The parsed JSON body of a machine message. */
export function machineBody(message: PublishedMessage): Record<string, unknown> {
  return JSON.parse(message.body) as Record<string, unknown>;
}

/** Lines a process wrote to stdout and stderr (Powertools' Logger and EMF metrics write there). */
export interface CapturedOutput {
  readonly lines: () => string[];
  /** The lines that are JSON objects, parsed (log records and EMF documents). */
  readonly records: () => Record<string, unknown>[];
  readonly restore: () => void;
}

/** Captures (and silences) process.stdout and process.stderr until `restore`. */
export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(record),
    jest.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  const lines = (): string[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '');
  return {
    lines,
    records: () =>
      lines().flatMap((line) => {
        try {
          const value: unknown = JSON.parse(line);
          return typeof value === 'object' && value !== null
            ? [value as Record<string, unknown>]
            : [];
        } catch {
          return [];
        }
      }),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

// ---------------------------------------------------------------------------------------------
// The "lab" cluster of the end-to-end test

/**
 * Timeline of the lab cluster (2026-11-21, UTC). Prometheus holds 10:00–12:00 at 1-minute steps;
 * the Lambda runs are placed inside that window:
 * - 11:25 the canary node ip-10-0-3-1 joins, on kubelet 1.31: newer than the 1.30 apiserver.
 * - 11:26 shop/web is changed to generation 2; its controller does not observe it.
 * - 11:30 run 1: both conditions hold, for less than their `for` (the history dates them).
 * - 11:41 run 2, past every `for` (10 minutes).
 * - 11:43 fixed: the controller observes generation 2, the canary node is removed.
 * - 11:50 run 3, 7 minutes later: beyond Prometheus' 5-minute lookback, so the node is gone there too.
 * - 11:55 run 4.
 */
export const LAB = {
  cluster: 'lab',
  selector: 'cluster="lab"',
  apiserver: 'v1.30.4-eks-a737599',
  kubelet: 'v1.30.4-eks-036c24b',
  canaryKubelet: 'v1.31.1-eks-1b3e656',
  kubeProxyImage: 'v1.30.4-minimal-eksbuild.1',
  canaryJoinedAt: Date.parse('2026-11-21T11:25:00Z'),
  generationChangedAt: Date.parse('2026-11-21T11:26:00Z'),
  runs: [
    Date.parse('2026-11-21T11:30:00Z'),
    Date.parse('2026-11-21T11:41:00Z'),
    Date.parse('2026-11-21T11:50:00Z'),
    Date.parse('2026-11-21T11:55:00Z'),
  ],
  fixedAt: Date.parse('2026-11-21T11:43:00Z'),
} as const;

const STABLE_NODES = [
  { name: 'ip-10-0-1-1', ip: '10.0.1.1' },
  { name: 'ip-10-0-1-2', ip: '10.0.1.2' },
];
const CANARY = { name: 'ip-10-0-3-1', ip: '10.0.3.1', group: 'ng-canary' };
const WEB_HASH = '7c9d8f6b5';
const WEB_IMAGE = 'shop/web:2.4.0';

/** Seconds from the Prometheus window's start to `epochMs`, as scenario offsets count. */
function offsetOf(epochMs: number): number {
  return (epochMs - Date.parse(WINDOW.start)) / 1000;
}

/**
 * The lab cluster's objects as the Kubernetes API serves them: `faulty` before the fix (canary
 * node on kubelet 1.31, shop/web at generation 2 observed 1), healthy after it.
 */
export function labKubeObjects(state: 'faulty' | 'healthy'): unknown[] {
  const faulty = state === 'faulty';
  const nodes = [
    ...STABLE_NODES.map((n) => node(n.name, LAB.kubelet, 'ng-main')),
    ...(faulty ? [node(CANARY.name, LAB.canaryKubelet, CANARY.group)] : []),
  ];
  const proxyImage = `602401143452.dkr.ecr.eu-central-1.amazonaws.com/eks/kube-proxy:${LAB.kubeProxyImage}`;
  const proxies = [...STABLE_NODES, ...(faulty ? [CANARY] : [])].map((n) =>
    kubeProxyPod(n.name, proxyImage),
  );
  const web = deployment({
    namespace: 'shop',
    name: 'web',
    replicas: 2,
    image: WEB_IMAGE,
    revision: 1,
    generation: 2,
    observedGeneration: faulty ? 1 : 2,
    createdAt: ago(600),
    status: { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
    conditions: [
      availableCondition(true, ago(290)),
      progressingCondition('complete', replicaSetName('web', WEB_HASH), ago(600), ago(290)),
    ],
  });
  const rs = replicaSet({
    namespace: 'shop',
    deployment: 'web',
    hash: WEB_HASH,
    revision: 1,
    replicas: 2,
    desired: 2,
    maxReplicas: 3,
    image: WEB_IMAGE,
    createdAt: ago(300),
    ready: 2,
    available: 2,
  });
  return [list(nodes), list([...proxies, ...webPods()]), web, rs];
}

/**
 * The same cluster as kube-state-metrics and the components' build info report it, under
 * `cluster="lab"`: both sources agree on every version, and Prometheus' history dates when
 * shop/web stopped being observed.
 */
export function labScenario(): Scenario {
  const { data, cluster } = multiClusterScenario();
  const c = cluster(LAB.cluster);
  c.apiserver('10.0.0.1', LAB.apiserver);
  for (const n of STABLE_NODES) c.node(n.name, n.ip, LAB.kubelet, LAB.apiserver);
  canaryNode(data, LAB.cluster, offsetOf(LAB.canaryJoinedAt), offsetOf(LAB.fixedAt));
  c.healthyBaseline(STABLE_NODES[0]?.name ?? 'ip-10-0-1-1');
  webDeployment(c);
  return data;
}

/** The canary node's series from `fromOffset`, gone after `untilOffset` (the last sample is at it). */
function canaryNode(
  data: Scenario,
  clusterName: string,
  fromOffset: number,
  untilOffset: number,
): void {
  const live = constant(1).from(fromOffset).absentAfter(untilOffset);
  const base = { cluster: clusterName };
  data.series(
    'kube_node_info',
    {
      ...base,
      node: CANARY.name,
      internal_ip: CANARY.ip,
      kubelet_version: LAB.canaryKubelet,
      kubeproxy_version: LAB.canaryKubelet,
      container_runtime_version: 'containerd://1.7.13',
      os_image: 'Ubuntu 22.04.4 LTS',
    },
    live,
  );
  data.series(
    'kubernetes_build_info',
    {
      ...base,
      job: 'kubelet',
      instance: `${CANARY.ip}:10250`,
      git_version: LAB.canaryKubelet,
      node: CANARY.name,
    },
    live,
  );
  data.series(
    'kubernetes_build_info',
    { ...base, job: 'kube-proxy', instance: `${CANARY.ip}:10249`, git_version: LAB.apiserver },
    live,
  );
}

/** shop/web: generation 2 from 11:26, observed only from the fix on; its ReplicaSet and pods. */
function webDeployment(c: ClusterMetrics): void {
  c.deployment({
    namespace: 'shop',
    name: 'web',
    replicas: 2,
    generation: steps([
      [0, 1],
      [offsetOf(LAB.generationChangedAt), 2],
    ]),
    observedGeneration: steps([
      [0, 1],
      [offsetOf(LAB.fixedAt), 2],
    ]),
  });
  const rsName = replicaSetName('web', WEB_HASH);
  c.replicaSet('shop', rsName, 'web', 2, 2, 300);
  for (const pod of webPods()) {
    const { metadata, spec } = pod as { metadata: { name: string }; spec: { nodeName: string } };
    c.pod({
      namespace: 'shop',
      name: metadata.name,
      node: spec.nodeName,
      owner: { kind: 'ReplicaSet', name: rsName },
      ageMinutes: 300,
      containers: [{ name: 'app', image: WEB_IMAGE }],
    });
  }
}

/** shop/web's two running pods, one per stable node. */
function webPods(): unknown[] {
  return STABLE_NODES.map((n, i) =>
    replicaSetPod('shop', 'web', WEB_HASH, `pod-${i}`, {
      createdAt: ago(300),
      node: n.name,
      containers: [running('app', WEB_IMAGE, ago(299))],
    }),
  );
}

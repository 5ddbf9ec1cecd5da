/**
 * The rollout rule fixtures (test/fixtures/rules/<RuleId>/{fires,quiet}.<case>.json) as data.
 * Run `npx tsx test/unit/rules/rollout/support/make-fixtures.ts` to (re)write the JSON files,
 * which are committed; fixtures-current.test.ts fails when they drift from this file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSpec, Termination } from './kubectl';
import {
  ago,
  availableCondition,
  condition,
  daemonSet,
  daemonSetPod,
  deployment,
  kubectlList,
  kubectlOrder,
  nodeName,
  NOW_ISO,
  pod,
  progressingCondition,
  replicaSet,
  replicaSetName,
  replicaSetPod,
  running,
  statefulSet,
  statefulSetPod,
  terminated,
  waiting,
} from './kubectl';

type Json = Record<string, unknown>;

/** One fixture file. */
export interface RolloutFixture {
  readonly rule: string;
  /** `fires.image-pull`, `quiet.paused-with-spec-change`. */
  readonly name: string;
  readonly description: string;
  readonly documents: readonly unknown[];
  readonly expect?: readonly Json[];
}

/** Where the fixture files live. */
export const FIXTURE_ROOT = join(__dirname, '../../../../fixtures/rules');

// ------------------------------------------------------------------ shop/web Deployment rollout

const SHOP = 'shop';
const WEB = 'web';
const OLD_HASH = '5d4b7f8c9d';
const NEW_HASH = '7c9d8f6b5';
const OLD_IMAGE = 'shop/web:2.3.0';
const NEW_IMAGE = 'shop/web:2.3.1';
const OLD_CREATED = '2026-11-02T14:21:08Z';
const ROLLOUT_START = ago(31);
const NEW_RS = replicaSetName(WEB, NEW_HASH);

const backOffMessage = 'back-off 5m0s restarting failed container=app pod={pod}';
const oomKilled = (): Termination => ({
  exitCode: 137,
  reason: 'OOMKilled',
  startedAt: ago(4, 12),
  finishedAt: ago(3, 58),
});

function oldWebPods(count: number): Json[] {
  return Array.from({ length: count }, (_, i) =>
    replicaSetPod(SHOP, WEB, OLD_HASH, `old-${i}`, {
      createdAt: OLD_CREATED,
      node: nodeName(i),
      containers: [running('app', OLD_IMAGE, '2026-11-02T14:21:19Z')],
    }),
  );
}

function newWebPods(count: number, container: (i: number) => ContainerSpec | undefined): Json[] {
  return Array.from({ length: count }, (_, i) => {
    const c = container(i);
    return replicaSetPod(SHOP, WEB, NEW_HASH, `new-${i}`, {
      createdAt: ago(31, -i * 2),
      ...(c
        ? { node: nodeName(i + 3), containers: [c] }
        : {
            containers: [running('app', NEW_IMAGE, '')],
            unschedulable: {
              message:
                '0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.',
              since: ago(31, -i * 2),
            },
          }),
    });
  });
}

interface WebRollout {
  /** Old pods kept by the strategy: 5 with maxUnavailable 0, 4 with the default 25%. */
  readonly oldPods: number;
  readonly newPods: readonly Json[];
  /** New ReplicaSet spec.replicas (pods it wants, some of which may not exist). */
  readonly newReplicas: number;
  readonly deadline: boolean;
  readonly replicaFailure?: string;
}

/** shop/web rolling from revision 6 (2.3.0) to 7 (2.3.1) with 5 replicas. */
function webRollout(r: WebRollout): Json {
  const strict = r.oldPods === 5;
  const available = r.oldPods;
  const failure = r.replicaFailure
    ? condition('ReplicaFailure', 'True', 'FailedCreate', r.replicaFailure, ago(30, 58))
    : undefined;
  const deploymentFailure = r.replicaFailure
    ? condition(
        'ReplicaFailure',
        'True',
        'FailedCreate',
        r.replicaFailure,
        ago(30, 58),
        ago(30, 58),
      )
    : undefined;
  const progressing = r.deadline
    ? progressingCondition('deadline', NEW_RS, ago(21), ago(21))
    : progressingCondition('progressing', NEW_RS, ROLLOUT_START, ago(30));
  return kubectlList([
    deployment({
      namespace: SHOP,
      name: WEB,
      replicas: 5,
      image: NEW_IMAGE,
      revision: 7,
      generation: 9,
      ...(strict ? { maxSurge: '50%', maxUnavailable: '0' } : {}),
      status: {
        replicas: r.oldPods + r.newPods.length,
        updatedReplicas: r.newPods.length,
        readyReplicas: available,
        availableReplicas: available,
        unavailableReplicas: r.oldPods + r.newReplicas - available,
      },
      conditions: [
        availableCondition(true, '2026-11-02T14:21:40Z'),
        progressing,
        ...(deploymentFailure ? [deploymentFailure] : []),
      ],
    }),
    replicaSet({
      namespace: SHOP,
      deployment: WEB,
      hash: OLD_HASH,
      revision: 6,
      replicas: r.oldPods,
      desired: 5,
      maxReplicas: strict ? 8 : 7,
      image: OLD_IMAGE,
      createdAt: OLD_CREATED,
      ready: r.oldPods,
      available: r.oldPods,
    }),
    replicaSet({
      namespace: SHOP,
      deployment: WEB,
      hash: NEW_HASH,
      revision: 7,
      replicas: r.newReplicas,
      desired: 5,
      maxReplicas: strict ? 8 : 7,
      image: NEW_IMAGE,
      createdAt: ROLLOUT_START,
      ready: 0,
      available: 0,
      existing: r.newPods.length,
      ...(failure ? { conditions: [failure] } : {}),
    }),
    ...oldWebPods(r.oldPods),
    ...r.newPods,
  ]);
}

const imagePullPods = newWebPods(3, (i) =>
  i === 1
    ? waiting(
        'app',
        NEW_IMAGE,
        'ErrImagePull',
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/shop/web:2.3.1": failed to resolve reference "docker.io/shop/web:2.3.1": docker.io/shop/web:2.3.1: not found',
      )
    : waiting('app', NEW_IMAGE, 'ImagePullBackOff', 'Back-off pulling image "shop/web:2.3.1"'),
);

const webSubject = { kind: 'Deployment', namespace: SHOP, name: WEB };

/** A finished shop/web rollout: revision 7 everywhere, revision 6 kept at 0 replicas. */
function webHealthy(extra: { replicas?: number } = {}): Json {
  const replicas = extra.replicas ?? 5;
  return kubectlList([
    deployment({
      namespace: SHOP,
      name: WEB,
      replicas,
      image: NEW_IMAGE,
      revision: 7,
      generation: replicas === 5 ? 9 : 10,
      status: {
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
      },
      conditions: [
        availableCondition(true, '2026-11-02T14:21:40Z'),
        progressingCondition('complete', NEW_RS, ROLLOUT_START, ago(26)),
      ],
    }),
    replicaSet({
      namespace: SHOP,
      deployment: WEB,
      hash: OLD_HASH,
      revision: 6,
      replicas: 0,
      desired: 5,
      maxReplicas: 7,
      image: OLD_IMAGE,
      createdAt: OLD_CREATED,
      ready: 0,
      available: 0,
    }),
    replicaSet({
      namespace: SHOP,
      deployment: WEB,
      hash: NEW_HASH,
      revision: 7,
      replicas,
      desired: replicas,
      maxReplicas: replicas + Math.ceil(replicas * 0.25),
      image: NEW_IMAGE,
      createdAt: ROLLOUT_START,
      ready: replicas,
      available: replicas,
    }),
    ...Array.from({ length: replicas }, (_, i) =>
      replicaSetPod(SHOP, WEB, NEW_HASH, `new-${i}`, {
        createdAt: ago(31, -i * 20),
        node: nodeName(i),
        containers: [running('app', NEW_IMAGE, ago(30, -i * 20))],
      }),
    ),
  ]);
}

/** shop/web paused at revision 6 after its template was changed to 2.3.1: nothing rolls. */
function webPausedWithSpecChange(): Json {
  return kubectlList([
    deployment({
      namespace: SHOP,
      name: WEB,
      replicas: 5,
      image: NEW_IMAGE,
      revision: 6,
      generation: 10,
      paused: true,
      status: { replicas: 5, updatedReplicas: 0, readyReplicas: 5, availableReplicas: 5 },
      conditions: [
        availableCondition(true, '2026-11-02T14:21:40Z'),
        progressingCondition('paused', replicaSetName(WEB, OLD_HASH), ago(48), ago(48)),
      ],
    }),
    replicaSet({
      namespace: SHOP,
      deployment: WEB,
      hash: OLD_HASH,
      revision: 6,
      replicas: 5,
      desired: 5,
      maxReplicas: 7,
      image: OLD_IMAGE,
      createdAt: OLD_CREATED,
      ready: 5,
      available: 5,
    }),
    ...oldWebPods(5),
  ]);
}

// ------------------------------------------------------------------ other workloads

/** shop/checkout, 3 replicas, every pod OOM-killed in a loop long after its rollout finished. */
function checkoutAllCrashing(): Json {
  const hash = '6f8b9d4c7b';
  const image = 'shop/checkout:4.0.2';
  const rs = replicaSetName('checkout', hash);
  return kubectlList([
    deployment({
      namespace: SHOP,
      name: 'checkout',
      replicas: 3,
      image,
      revision: 4,
      generation: 6,
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 0, availableReplicas: 0 },
      conditions: [
        progressingCondition('complete', rs, '2026-11-18T09:02:11Z', '2026-11-18T09:03:40Z'),
        availableCondition(false, ago(45)),
      ],
    }),
    replicaSet({
      namespace: SHOP,
      deployment: 'checkout',
      hash,
      revision: 4,
      replicas: 3,
      desired: 3,
      maxReplicas: 4,
      image,
      createdAt: '2026-11-18T09:02:11Z',
      ready: 0,
      available: 0,
    }),
    ...Array.from({ length: 3 }, (_, i) =>
      replicaSetPod(SHOP, 'checkout', hash, `p${i}`, {
        createdAt: '2026-11-18T09:02:13Z',
        node: nodeName(i),
        containers: [
          waiting('app', image, 'CrashLoopBackOff', backOffMessage, {
            restarts: 14 + i,
            last: oomKilled(),
          }),
        ],
      }),
    ),
  ]);
}

const DB = 'db';
const PG = 'postgres';
const PG_OLD_REV = 'postgres-5f4c8d9b7c';
const PG_NEW_REV = 'postgres-6b7d8c9f5d';

/** db/postgres, 3 replicas, mid-update from 16.3 to 16.4 with the given strategy and pods. */
function postgresUpdate(options: {
  strategy: 'RollingUpdate' | 'OnDelete';
  partition?: number;
  updated: number;
  newPod?: (ordinal: number) => ContainerSpec;
}): Json {
  const newImage = 'postgres:16.4';
  const oldImage = 'postgres:16.3';
  const pods = [0, 1, 2].map((ordinal) => {
    const isNew = ordinal >= 3 - options.updated;
    return statefulSetPod(DB, PG, ordinal, isNew ? PG_NEW_REV : PG_OLD_REV, {
      createdAt: isNew ? ago(40, -ordinal * 30) : `2026-10-0${ordinal + 1}T10:00:00Z`,
      node: nodeName(ordinal),
      containers: [
        isNew && options.newPod
          ? options.newPod(ordinal)
          : running(
              PG,
              isNew ? newImage : oldImage,
              isNew ? ago(39) : `2026-10-0${ordinal + 1}T10:00:09Z`,
            ),
      ],
    });
  });
  const ready = pods.length - (options.newPod ? options.updated : 0);
  return kubectlList([
    statefulSet({
      namespace: DB,
      name: PG,
      replicas: 3,
      image: newImage,
      generation: 5,
      updateStrategy: options.strategy,
      ...(options.partition !== undefined ? { partition: options.partition } : {}),
      status: {
        replicas: 3,
        readyReplicas: ready,
        availableReplicas: ready,
        currentReplicas: 3 - options.updated,
        updatedReplicas: options.updated,
        currentRevision: PG_OLD_REV,
        updateRevision: PG_NEW_REV,
      },
    }),
    ...pods,
  ]);
}

function postgresSettled(): Json {
  return kubectlList([
    statefulSet({
      namespace: DB,
      name: PG,
      replicas: 3,
      image: 'postgres:16.4',
      generation: 5,
      status: {
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        currentReplicas: 3,
        updatedReplicas: 3,
        currentRevision: PG_NEW_REV,
        updateRevision: PG_NEW_REV,
      },
    }),
    ...[0, 1, 2].map((ordinal) =>
      statefulSetPod(DB, PG, ordinal, PG_NEW_REV, {
        createdAt: ago(40, -ordinal * 30),
        node: nodeName(ordinal),
        containers: [running(PG, 'postgres:16.4', ago(39, -ordinal * 30))],
      }),
    ),
  ]);
}

/** A db/postgres the statefulset controller never saw: the API server's default status only. */
function postgresNeverSynced(): Json {
  const sts = statefulSet({
    namespace: DB,
    name: PG,
    replicas: 3,
    image: 'postgres:16.4',
    generation: 1,
    status: {
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      currentRevision: '',
      updateRevision: '',
    },
  });
  return {
    ...sts,
    metadata: { ...(sts['metadata'] as Json), creationTimestamp: ago(14) },
    status: { availableReplicas: 0, replicas: 0 },
  };
}

/** cache/redis with one replica crash-looping on its config. */
function redisOneDown(): Json {
  const rev = 'redis-7f9c5d8b4d';
  const image = 'redis:7.4.1';
  return kubectlList([
    statefulSet({
      namespace: 'cache',
      name: 'redis',
      replicas: 3,
      image,
      generation: 2,
      status: {
        replicas: 3,
        readyReplicas: 2,
        availableReplicas: 2,
        currentReplicas: 3,
        updatedReplicas: 3,
        currentRevision: rev,
        updateRevision: rev,
      },
    }),
    ...[0, 1, 2].map((ordinal) =>
      statefulSetPod('cache', 'redis', ordinal, rev, {
        createdAt: '2026-11-10T08:00:00Z',
        node: nodeName(ordinal),
        containers: [
          ordinal === 2
            ? waiting(
                'redis',
                image,
                'CrashLoopBackOff',
                'back-off 5m0s restarting failed container=redis pod={pod}',
                {
                  restarts: 23,
                  last: {
                    exitCode: 1,
                    reason: 'Error',
                    startedAt: ago(3, 40),
                    finishedAt: ago(3, 39),
                  },
                },
              )
            : running('redis', image, '2026-11-10T08:00:07Z'),
        ],
      }),
    ),
  ]);
}

/** A fresh db/postgres whose first pod cannot be placed (its volume is pinned to a full zone). */
function postgresNothingReady(): Json {
  return kubectlList([
    statefulSet({
      namespace: DB,
      name: PG,
      replicas: 3,
      image: 'postgres:16.4',
      generation: 1,
      status: {
        replicas: 1,
        readyReplicas: 0,
        availableReplicas: 0,
        currentReplicas: 1,
        updatedReplicas: 1,
        currentRevision: PG_NEW_REV,
        updateRevision: PG_NEW_REV,
      },
    }),
    statefulSetPod(DB, PG, 0, PG_NEW_REV, {
      createdAt: ago(52),
      containers: [running(PG, 'postgres:16.4', '')],
      unschedulable: {
        message:
          '0/6 nodes are available: 2 Insufficient memory, 4 node(s) had volume node affinity conflict. preemption: 0/6 nodes are available: 2 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.',
        since: ago(52),
      },
    }),
  ]);
}

const FLUENT = 'fluent-bit';
const KS = 'kube-system';
const FLUENT_OLD = {
  generation: 3,
  hash: '6d5c8b9f7d',
  image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4',
};
const FLUENT_NEW = {
  generation: 4,
  hash: '84f6c9b5d7',
  image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.50',
};

/** kube-system/fluent-bit on 6 nodes: `updated` pods at the new template, the rest old. */
function fluentBit(options: {
  updated: number;
  strategy?: 'RollingUpdate' | 'OnDelete';
  newPod?: ContainerSpec;
  desired?: number;
  missing?: number;
  misscheduled?: number;
}): Json {
  const desired = options.desired ?? 6;
  const present = desired - (options.missing ?? 0);
  const pods = Array.from({ length: present + (options.misscheduled ?? 0) }, (_, i) => {
    // Misscheduled pods sit past the desired nodes; they run the current template too.
    const isNew = i < options.updated || i >= present;
    const rev = isNew ? FLUENT_NEW : FLUENT_OLD;
    return daemonSetPod(KS, FLUENT, nodeName(i), rev.generation, rev.hash, {
      createdAt: isNew ? ago(25, -i * 40) : '2026-10-14T06:30:00Z',
      containers: [
        isNew && options.newPod
          ? options.newPod
          : running(FLUENT, rev.image, isNew ? ago(25, -i * 40 - 3) : '2026-10-14T06:30:05Z'),
      ],
    });
  });
  const broken = options.newPod ? options.updated : 0;
  const available = present - broken;
  return kubectlList([
    daemonSet({
      namespace: KS,
      name: FLUENT,
      image:
        options.updated > 0 || options.strategy === 'OnDelete'
          ? FLUENT_NEW.image
          : FLUENT_OLD.image,
      generation:
        options.updated > 0 || options.strategy === 'OnDelete'
          ? FLUENT_NEW.generation
          : FLUENT_OLD.generation,
      ...(options.strategy ? { updateStrategy: options.strategy } : {}),
      status: {
        desiredNumberScheduled: desired,
        currentNumberScheduled: present,
        updatedNumberScheduled: options.updated,
        numberAvailable: available,
        numberReady: available,
        numberMisscheduled: options.misscheduled ?? 0,
      },
    }),
    ...pods,
  ]);
}

const API = 'api';
const API_HASH = '9b6d4f7c8d';
const API_IMAGE = 'shop/api:5.12.0';

/** shop/api with 30 replicas, every one crash-looping on a bad environment variable. */
function apiThirtyCrashing(): Json {
  const rs = replicaSetName(API, API_HASH);
  return kubectlList([
    deployment({
      namespace: SHOP,
      name: API,
      replicas: 30,
      image: API_IMAGE,
      revision: 12,
      generation: 15,
      status: { replicas: 30, updatedReplicas: 30, readyReplicas: 0, availableReplicas: 0 },
      conditions: [
        availableCondition(false, ago(38)),
        progressingCondition('progressing', rs, ago(41), ago(41)),
      ],
    }),
    replicaSet({
      namespace: SHOP,
      deployment: API,
      hash: API_HASH,
      revision: 12,
      replicas: 30,
      desired: 30,
      maxReplicas: 38,
      image: API_IMAGE,
      createdAt: ago(41),
      ready: 0,
      available: 0,
    }),
    ...Array.from({ length: 30 }, (_, i) =>
      replicaSetPod(SHOP, API, API_HASH, `p${i}`, {
        createdAt: ago(41, -i),
        node: nodeName(i % 6),
        containers: [
          waiting('app', API_IMAGE, 'CrashLoopBackOff', backOffMessage, {
            restarts: 8 + (i % 4),
            last: {
              exitCode: 1,
              reason: 'Error',
              startedAt: ago(2, 30 - (i % 20)),
              finishedAt: ago(2, 28 - (i % 20)),
            },
          }),
        ],
      }),
    ),
  ]);
}

/** shop/web with its `migrate` init container crash-looping on every new pod. */
function webInitCrashing(): Json {
  const rs = replicaSetName('orders', '5c8d7b9f4d');
  return kubectlList([
    deployment({
      namespace: SHOP,
      name: 'orders',
      replicas: 2,
      image: 'shop/orders:3.1.0',
      revision: 3,
      generation: 3,
      status: { replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0 },
      conditions: [
        availableCondition(false, ago(33)),
        progressingCondition('progressing', rs, ago(33), ago(33)),
      ],
    }),
    replicaSet({
      namespace: SHOP,
      deployment: 'orders',
      hash: '5c8d7b9f4d',
      revision: 3,
      replicas: 2,
      desired: 2,
      maxReplicas: 3,
      image: 'shop/orders:3.1.0',
      createdAt: ago(33),
      ready: 0,
      available: 0,
    }),
    ...[0, 1].map((i) =>
      replicaSetPod(SHOP, 'orders', '5c8d7b9f4d', `p${i}`, {
        createdAt: ago(33, -i),
        node: nodeName(i),
        initContainers: [
          waiting(
            'migrate',
            'shop/orders-migrate:3.1.0',
            'CrashLoopBackOff',
            'back-off 5m0s restarting failed container=migrate pod={pod}',
            {
              restarts: 7,
              last: { exitCode: 2, reason: 'Error', startedAt: ago(1, 50), finishedAt: ago(1, 47) },
            },
          ),
        ],
        containers: [waiting('app', 'shop/orders:3.1.0', 'PodInitializing')],
      }),
    ),
  ]);
}

/** A bare pod (no controller) that keeps restarting: running now, 9 restarts in 30 minutes. */
function bareRestartingPod(): Json {
  return pod({
    namespace: 'tools',
    name: 'debug-shell',
    labels: { run: 'debug-shell' },
    createdAt: ago(30),
    node: nodeName(2),
    containers: [
      running('debug-shell', 'busybox:1.36', ago(0, 40), {
        restarts: 9,
        last: { exitCode: 1, reason: 'Error', startedAt: ago(3, 50), finishedAt: ago(0, 50) },
      }),
    ],
  });
}

/**
 * The documents without the pods of `namespace`, plus one healthy pod elsewhere: input from
 * `kubectl get pods -n <other>`, so pods count as collected while that namespace's were not read.
 */
function podsNotReadIn(namespace: string, list: Json): Json {
  const items = (list['items'] as Json[]).filter(
    (item) =>
      item['kind'] !== 'Pod' || (item['metadata'] as Json | undefined)?.['namespace'] !== namespace,
  );
  const elsewhere = pod({
    namespace: 'tools',
    name: 'toolbox',
    labels: { run: 'toolbox' },
    createdAt: ago(30),
    node: nodeName(2),
    containers: [running('toolbox', 'busybox:1.36', ago(29))],
  });
  return kubectlList([...items, elsewhere]);
}

/** Pods that restarted a few times long ago, or once just now: no loop. */
function podsWithHarmlessRestarts(): Json {
  const hash = '7d4f9c6b8b';
  return kubectlList([
    replicaSetPod(SHOP, 'cart', hash, 'a', {
      createdAt: '2026-11-18T07:00:00Z',
      node: nodeName(0),
      containers: [
        running('app', 'shop/cart:1.9.3', '2026-11-18T09:12:44Z', {
          restarts: 3,
          last: {
            exitCode: 137,
            reason: 'OOMKilled',
            startedAt: '2026-11-18T08:55:02Z',
            finishedAt: '2026-11-18T09:12:40Z',
          },
        }),
      ],
    }),
    replicaSetPod(SHOP, 'cart', hash, 'b', {
      createdAt: ago(2),
      node: nodeName(1),
      containers: [
        running('app', 'shop/cart:1.9.3', ago(1), {
          restarts: 1,
          last: { exitCode: 1, reason: 'Error', startedAt: ago(1, 50), finishedAt: ago(1, 5) },
        }),
      ],
    }),
    pod({
      namespace: 'batch',
      name: 'report-29384721-x7kqp',
      labels: { 'batch.kubernetes.io/job-name': 'report-29384721', 'job-name': 'report-29384721' },
      owner: { kind: 'Job', name: 'report-29384721' },
      createdAt: ago(20),
      node: nodeName(3),
      restartPolicy: 'OnFailure',
      phase: 'Succeeded',
      containers: [
        terminated(
          'report',
          'shop/report:2.0.1',
          { exitCode: 0, reason: 'Completed', startedAt: ago(12), finishedAt: ago(9) },
          {
            restarts: 4,
            last: { exitCode: 1, reason: 'Error', startedAt: ago(14), finishedAt: ago(13) },
          },
        ),
      ],
    }),
  ]);
}

// ------------------------------------------------------------------ the cases

/** Every rollout fixture, in rule order. */
export function rolloutFixtures(): RolloutFixture[] {
  const withGeneration = (doc: Json, generation: number, observed: number | null): Json => {
    const items = (doc['items'] as Json[]).map((item) => {
      if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(item['kind'] as string)) return item;
      const metadata = { ...(item['metadata'] as Json), generation };
      const status = { ...(item['status'] as Json) };
      if (observed === null) delete status['observedGeneration'];
      else status['observedGeneration'] = observed;
      return { ...item, metadata, status };
    });
    return { ...doc, items };
  };
  return [
    {
      rule: 'DeploymentGenerationMismatch',
      name: 'fires.controller-behind',
      description:
        'shop/web was edited (generation 12) but the deployment controller last observed 11',
      documents: [withGeneration(webHealthy(), 12, 11)],
      expect: [
        {
          severity: 'critical',
          subject: webSubject,
          forSeconds: 600,
          details: { generation: 12, observedGeneration: 11, generationsBehind: 1 },
        },
      ],
    },
    {
      rule: 'DeploymentGenerationMismatch',
      name: 'quiet.observed',
      description: 'shop/web generation 9 observed by the controller',
      documents: [webHealthy()],
    },
    {
      rule: 'StatefulSetGenerationMismatch',
      name: 'fires.never-observed',
      description:
        'db/postgres was created while kube-controller-manager was down: its status was never written',
      documents: [postgresNeverSynced()],
      expect: [
        {
          severity: 'critical',
          subject: { kind: 'StatefulSet', namespace: DB, name: PG },
          details: { generation: 1, observedGeneration: null, generationsBehind: 1 },
        },
      ],
    },
    {
      rule: 'StatefulSetGenerationMismatch',
      name: 'quiet.observed',
      description: 'db/postgres generation 5 observed',
      documents: [postgresSettled()],
    },
    {
      rule: 'DaemonSetGenerationMismatch',
      name: 'fires.controller-behind',
      description: 'kube-system/fluent-bit generation 5, observed 4',
      documents: [withGeneration(fluentBit({ updated: 6 }), 5, 4)],
      expect: [
        {
          severity: 'critical',
          subject: { kind: 'DaemonSet', namespace: KS, name: FLUENT },
          details: { generation: 5, observedGeneration: 4 },
        },
      ],
    },
    {
      rule: 'DaemonSetGenerationMismatch',
      name: 'quiet.observed',
      description: 'kube-system/fluent-bit fully observed and rolled out',
      documents: [fluentBit({ updated: 6 })],
    },
    {
      rule: 'DeploymentRolloutStuck',
      name: 'fires.image-pull',
      description:
        'shop/web revision 7 points at a tag that does not exist; 5/5 old pods keep serving',
      documents: [
        webRollout({ oldPods: 5, newReplicas: 3, newPods: imagePullPods, deadline: true }),
      ],
      expect: [
        {
          severity: 'critical',
          subject: webSubject,
          since: ago(21),
          details: {
            revision: '7',
            newReplicaSet: NEW_RS,
            oldPods: { ready: 5, total: 5 },
            cause: {
              kind: 'ImagePull',
              scope: 'new',
              reason: 'ImagePullBackOff',
              image: NEW_IMAGE,
              imageProblem: 'not found',
              podCount: 3,
            },
          },
        },
      ],
    },
    {
      rule: 'DeploymentRolloutStuck',
      name: 'fires.deadline-pods-not-read',
      description:
        'shop/web revision 7 passed its deadline; the input has pods of other namespaces only, so nothing is claimed about its pods',
      documents: [
        podsNotReadIn(
          SHOP,
          webRollout({ oldPods: 5, newReplicas: 3, newPods: imagePullPods, deadline: true }),
        ),
      ],
      expect: [
        {
          severity: 'critical',
          subject: webSubject,
          details: {
            cause: {
              kind: 'ProgressDeadline',
              podsChecked: false,
              podsNotRead:
                'pods in namespace shop were not read (the snapshot has none; add `kubectl get pods -n shop -o json` output)',
            },
          },
        },
      ],
    },
    {
      rule: 'DeploymentRolloutStuck',
      name: 'fires.crash-loop-oomkilled',
      description: 'shop/web revision 7 runs out of memory on start and crash-loops',
      documents: [
        webRollout({
          oldPods: 5,
          newReplicas: 3,
          deadline: true,
          newPods: newWebPods(3, () =>
            waiting('app', NEW_IMAGE, 'CrashLoopBackOff', backOffMessage, {
              restarts: 7,
              last: oomKilled(),
            }),
          ),
        }),
      ],
      expect: [
        {
          severity: 'critical',
          subject: webSubject,
          details: {
            cause: {
              kind: 'CrashLoop',
              container: 'app',
              lastExitCode: 137,
              lastReason: 'OOMKilled',
              restarts: 7,
              podCount: 3,
            },
          },
        },
      ],
    },
    {
      rule: 'DeploymentRolloutStuck',
      name: 'fires.unschedulable',
      description: 'shop/web revision 7 asks for more CPU than any node has free',
      documents: [
        webRollout({
          oldPods: 5,
          newReplicas: 3,
          deadline: true,
          newPods: newWebPods(3, () => undefined),
        }),
      ],
      expect: [
        {
          severity: 'critical',
          subject: webSubject,
          details: {
            cause: {
              kind: 'Unschedulable',
              reason: 'Unschedulable',
              message:
                '0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.',
              podCount: 3,
            },
          },
        },
      ],
    },
    {
      rule: 'DeploymentRolloutStuck',
      name: 'fires.missing-configmap',
      description: 'shop/web revision 7 mounts a ConfigMap that was never created',
      documents: [
        webRollout({
          oldPods: 5,
          newReplicas: 3,
          deadline: true,
          newPods: newWebPods(3, () =>
            waiting(
              'app',
              NEW_IMAGE,
              'CreateContainerConfigError',
              'configmap "web-config" not found',
            ),
          ),
        }),
      ],
      expect: [
        {
          severity: 'critical',
          subject: webSubject,
          details: {
            cause: {
              kind: 'ConfigError',
              reason: 'CreateContainerConfigError',
              message: 'configmap "web-config" not found',
              podCount: 3,
            },
          },
        },
      ],
    },
    {
      rule: 'DeploymentRolloutStuck',
      name: 'fires.exceeded-quota',
      description: 'shop/web revision 7 cannot create pods: the namespace CPU quota is used up',
      documents: [
        webRollout({
          oldPods: 5,
          newReplicas: 3,
          deadline: true,
          newPods: [],
          replicaFailure:
            'pods "web-7c9d8f6b5-" is forbidden: exceeded quota: compute-resources, requested: limits.cpu=2, used: limits.cpu=8, limited: limits.cpu=8',
        }),
      ],
      expect: [
        {
          severity: 'critical',
          subject: webSubject,
          details: {
            cause: {
              kind: 'Quota',
              quota: 'compute-resources',
              reportedBy: `ReplicaSet ${NEW_RS}`,
              podCount: 0,
            },
          },
        },
      ],
    },
    {
      rule: 'DeploymentRolloutStuck',
      name: 'quiet.paused-with-spec-change',
      description: 'shop/web is paused after its image was changed: waiting on purpose, not stuck',
      documents: [webPausedWithSpecChange()],
    },
    {
      rule: 'DeploymentRolloutStuck',
      name: 'quiet.rollout-complete',
      description: 'shop/web finished rolling out revision 7',
      documents: [webHealthy()],
    },
    {
      rule: 'DeploymentRolloutStuck',
      name: 'quiet.rolling',
      description:
        'shop/web is mid-rollout with pulls failing, but still inside its progress deadline',
      documents: [
        webRollout({ oldPods: 5, newReplicas: 3, newPods: imagePullPods, deadline: false }),
      ],
    },
    {
      rule: 'DeploymentReplicasMismatch',
      name: 'fires.zero-available-critical',
      description: 'every shop/checkout pod is OOM-killed in a loop: 0 of 3 available is critical',
      documents: [checkoutAllCrashing()],
      expect: [
        {
          severity: 'critical',
          subject: { kind: 'Deployment', namespace: SHOP, name: 'checkout' },
          since: ago(45),
          details: {
            replicas: 3,
            availableReplicas: 0,
            missingReplicas: 3,
            cause: {
              kind: 'CrashLoop',
              scope: 'all',
              lastReason: 'OOMKilled',
              lastExitCode: 137,
              podCount: 3,
            },
          },
        },
      ],
    },
    {
      rule: 'DeploymentReplicasMismatch',
      name: 'fires.image-pull-mid-rollout',
      description: 'shop/web has 4 of 5 available while its new pods cannot pull their image',
      documents: [
        webRollout({ oldPods: 4, newReplicas: 3, newPods: imagePullPods, deadline: false }),
      ],
      expect: [
        {
          severity: 'warning',
          subject: webSubject,
          since: ROLLOUT_START,
          details: {
            availableReplicas: 4,
            missingReplicas: 1,
            oldPods: { ready: 4, total: 4 },
            cause: { kind: 'ImagePull', image: NEW_IMAGE, podCount: 3 },
          },
        },
      ],
    },
    {
      rule: 'DeploymentReplicasMismatch',
      name: 'quiet.scaled-to-zero',
      description: 'shop/web scaled to 0 replicas on purpose',
      documents: [webHealthy({ replicas: 0 })],
    },
    {
      rule: 'DeploymentReplicasMismatch',
      name: 'quiet.paused-with-spec-change',
      description: 'shop/web paused with a pending template change, all 5 old replicas available',
      documents: [webPausedWithSpecChange()],
    },
    {
      rule: 'StatefulSetReplicasMismatch',
      name: 'fires.zero-ready-critical',
      description: 'db/postgres-0 cannot be scheduled, so no replica of db/postgres is ready',
      documents: [postgresNothingReady()],
      expect: [
        {
          severity: 'critical',
          subject: { kind: 'StatefulSet', namespace: DB, name: PG },
          details: {
            readyReplicas: 0,
            missingReplicas: 3,
            cause: { kind: 'Unschedulable', pods: ['postgres-0'] },
          },
        },
      ],
    },
    {
      rule: 'StatefulSetReplicasMismatch',
      name: 'fires.one-crash-looping',
      description: 'cache/redis-2 crash-loops: 2 of 3 ready',
      documents: [redisOneDown()],
      expect: [
        {
          severity: 'warning',
          subject: { kind: 'StatefulSet', namespace: 'cache', name: 'redis' },
          details: {
            readyReplicas: 2,
            cause: { kind: 'CrashLoop', container: 'redis', lastExitCode: 1, pods: ['redis-2'] },
          },
        },
      ],
    },
    {
      rule: 'StatefulSetReplicasMismatch',
      name: 'quiet.all-ready',
      description: 'db/postgres has 3 of 3 ready',
      documents: [postgresSettled()],
    },
    {
      rule: 'StatefulSetUpdateNotRolledOut',
      name: 'fires.rolling-update-crash',
      description: 'db/postgres-2 was updated to 16.4 and crash-loops, so the rolling update halts',
      documents: [
        postgresUpdate({
          strategy: 'RollingUpdate',
          updated: 1,
          newPod: () =>
            waiting(
              PG,
              'postgres:16.4',
              'CrashLoopBackOff',
              'back-off 5m0s restarting failed container=postgres pod={pod}',
              {
                restarts: 9,
                last: {
                  exitCode: 1,
                  reason: 'Error',
                  startedAt: ago(2, 10),
                  finishedAt: ago(2, 8),
                },
              },
            ),
        }),
      ],
      expect: [
        {
          severity: 'warning',
          subject: { kind: 'StatefulSet', namespace: DB, name: PG },
          details: {
            currentRevision: PG_OLD_REV,
            updateRevision: PG_NEW_REV,
            updatedReplicas: 1,
            oldPods: { ready: 2, total: 2 },
            cause: { kind: 'CrashLoop', scope: 'new', pods: ['postgres-2'] },
          },
        },
      ],
    },
    {
      rule: 'StatefulSetUpdateNotRolledOut',
      name: 'fires.on-delete-info',
      description: 'db/postgres uses OnDelete: all 3 pods still run 16.3 and wait to be deleted',
      documents: [postgresUpdate({ strategy: 'OnDelete', updated: 0 })],
      expect: [
        {
          severity: 'info',
          subject: { kind: 'StatefulSet', namespace: DB, name: PG },
          details: { updateStrategy: 'OnDelete', cause: { kind: 'OnDeleteWaiting', podCount: 3 } },
        },
      ],
    },
    {
      rule: 'StatefulSetUpdateNotRolledOut',
      name: 'fires.partition-staged',
      description: 'db/postgres updates with partition 2: only postgres-2 moves to 16.4, as asked',
      documents: [postgresUpdate({ strategy: 'RollingUpdate', partition: 2, updated: 1 })],
      expect: [
        {
          severity: 'info',
          subject: { kind: 'StatefulSet', namespace: DB, name: PG },
          details: { partition: 2, cause: { kind: 'Partitioned', podCount: 2 } },
        },
      ],
    },
    {
      rule: 'StatefulSetUpdateNotRolledOut',
      name: 'fires.on-delete-pods-not-read',
      description:
        'db/postgres uses OnDelete with 1 of 3 pods updated and its pods are not in the input: the 2 waiting pods are counted from status',
      documents: [podsNotReadIn(DB, postgresUpdate({ strategy: 'OnDelete', updated: 1 }))],
      expect: [
        {
          severity: 'info',
          subject: { kind: 'StatefulSet', namespace: DB, name: PG },
          details: {
            currentReplicas: 2,
            cause: { kind: 'OnDeleteWaiting', podCount: 2, pods: [], podsChecked: false },
          },
        },
      ],
    },
    {
      rule: 'StatefulSetUpdateNotRolledOut',
      name: 'fires.partition-pods-not-read',
      description:
        'db/postgres holds 2 pods with partition 2 and its pods are not in the input: the count comes from status',
      documents: [
        podsNotReadIn(DB, postgresUpdate({ strategy: 'RollingUpdate', partition: 2, updated: 1 })),
      ],
      expect: [
        {
          severity: 'info',
          subject: { kind: 'StatefulSet', namespace: DB, name: PG },
          details: {
            partition: 2,
            cause: { kind: 'Partitioned', podCount: 2, pods: [], podsChecked: false },
          },
        },
      ],
    },
    {
      rule: 'StatefulSetUpdateNotRolledOut',
      name: 'quiet.rolled-out',
      description: 'db/postgres finished its update: currentRevision equals updateRevision',
      documents: [postgresSettled()],
    },
    {
      rule: 'DaemonSetRolloutStuck',
      name: 'fires.image-pull',
      description:
        'kube-system/fluent-bit 2.32.50 does not exist; the first updated pod cannot pull it',
      documents: [
        fluentBit({
          updated: 1,
          newPod: waiting(
            FLUENT,
            FLUENT_NEW.image,
            'ImagePullBackOff',
            `Back-off pulling image "${FLUENT_NEW.image}"`,
          ),
        }),
      ],
      expect: [
        {
          severity: 'warning',
          subject: { kind: 'DaemonSet', namespace: KS, name: FLUENT },
          details: {
            revision: FLUENT_NEW.hash,
            oldPods: { ready: 5, total: 5 },
            cause: { kind: 'ImagePull', scope: 'new', image: FLUENT_NEW.image, podCount: 1 },
          },
        },
      ],
    },
    {
      rule: 'DaemonSetRolloutStuck',
      name: 'fires.on-delete-info',
      description:
        'kube-system/fluent-bit uses OnDelete: 1 pod updated, 5 wait for manual deletion, all available',
      documents: [fluentBit({ updated: 1, strategy: 'OnDelete' })],
      expect: [
        {
          severity: 'info',
          subject: { kind: 'DaemonSet', namespace: KS, name: FLUENT },
          details: { updateStrategy: 'OnDelete', cause: { kind: 'OnDeleteWaiting', podCount: 5 } },
        },
      ],
    },
    {
      rule: 'DaemonSetRolloutStuck',
      name: 'quiet.rolled-out',
      description: 'kube-system/fluent-bit runs its new template, available on all 6 nodes',
      documents: [fluentBit({ updated: 6 })],
    },
    {
      rule: 'DaemonSetRolloutStuck',
      name: 'quiet.not-scheduled-not-rolling',
      description:
        'kube-system/fluent-bit has pods on 4 of 6 nodes, all on its current template: no update is under way, so DaemonSetNotScheduled alone reports it',
      documents: [fluentBit({ updated: 4, missing: 2 })],
    },
    {
      rule: 'DaemonSetNotScheduled',
      name: 'fires.two-nodes-without-pod',
      description: 'kube-system/fluent-bit should run on 6 nodes but has pods on 4',
      documents: [fluentBit({ updated: 4, missing: 2 })],
      expect: [
        {
          severity: 'warning',
          subject: { kind: 'DaemonSet', namespace: KS, name: FLUENT },
          details: {
            desiredNumberScheduled: 6,
            currentNumberScheduled: 4,
            missingPods: 2,
          },
        },
      ],
    },
    {
      rule: 'DaemonSetNotScheduled',
      name: 'fires.pods-not-read',
      description:
        'kube-system/fluent-bit has pods on 4 of 6 nodes; none of its pods are in the input',
      documents: [podsNotReadIn(KS, fluentBit({ updated: 4, missing: 2 }))],
      expect: [
        {
          severity: 'warning',
          subject: { kind: 'DaemonSet', namespace: KS, name: FLUENT },
          details: {
            missingPods: 2,
            cause: {
              kind: 'Unknown',
              podsChecked: false,
              podsNotRead:
                'pods in namespace kube-system were not read (the snapshot has none; add `kubectl get pods -n kube-system -o json` output)',
            },
          },
        },
      ],
    },
    {
      rule: 'DaemonSetNotScheduled',
      name: 'quiet.all-scheduled',
      description: 'kube-system/fluent-bit has a pod on each of its 6 nodes',
      documents: [fluentBit({ updated: 6 })],
    },
    {
      rule: 'DaemonSetMisScheduled',
      name: 'fires.tainted-node',
      description:
        'a node was tainted after kube-system/fluent-bit started there: 1 misscheduled pod',
      documents: [fluentBit({ updated: 5, desired: 5, misscheduled: 1 })],
      expect: [
        {
          severity: 'warning',
          subject: { kind: 'DaemonSet', namespace: KS, name: FLUENT },
          details: { numberMisscheduled: 1 },
        },
      ],
    },
    {
      rule: 'DaemonSetMisScheduled',
      name: 'quiet.none-misscheduled',
      description: 'kube-system/fluent-bit runs only where it should',
      documents: [fluentBit({ updated: 6 })],
    },
    {
      rule: 'PodCrashLooping',
      name: 'fires.thirty-pods-one-deployment',
      description:
        'all 30 pods of shop/api crash-loop: one finding for the Deployment listing the pods',
      documents: [apiThirtyCrashing()],
      expect: [
        {
          severity: 'warning',
          subject: { kind: 'Deployment', namespace: SHOP, name: API },
          details: { podCount: 30, containers: ['app'] },
        },
      ],
    },
    {
      rule: 'PodCrashLooping',
      name: 'fires.init-container',
      description: 'the migrate init container of shop/orders crash-loops on both pods',
      documents: [webInitCrashing()],
      expect: [
        {
          severity: 'warning',
          subject: { kind: 'Deployment', namespace: SHOP, name: 'orders' },
          details: { podCount: 2, containers: ['migrate'] },
        },
      ],
    },
    {
      rule: 'PodCrashLooping',
      name: 'fires.bare-pod-restart-rate',
      description:
        'tools/debug-shell (no controller) is running but restarted 9 times in 30 minutes',
      documents: [bareRestartingPod()],
      expect: [
        {
          severity: 'warning',
          subject: { kind: 'Pod', namespace: 'tools', name: 'debug-shell' },
          since: ago(30),
          details: { podCount: 1, restartsTotal: 9 },
        },
      ],
    },
    {
      rule: 'PodCrashLooping',
      name: 'quiet.harmless-restarts',
      description:
        'restarts long ago, a single fresh restart, and a finished Job pod: no crash loop',
      documents: [podsWithHarmlessRestarts()],
    },
  ];
}

/** The fixture files as path → JSON text. */
export function renderFixtures(
  fixtures: readonly RolloutFixture[] = rolloutFixtures(),
): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of fixtures) {
    const body: Json = {
      description: f.description,
      now: NOW_ISO,
      documents: f.documents.map(kubectlOrder),
      ...(f.expect ? { expect: f.expect } : {}),
    };
    files.set(join(f.rule, `${f.name}.json`), `${JSON.stringify(body, null, 2)}\n`);
  }
  return files;
}

if (require.main === module) {
  for (const [path, text] of renderFixtures()) {
    const target = join(FIXTURE_ROOT, path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, text);
  }
  process.stdout.write(`wrote ${renderFixtures().size} rollout fixtures under ${FIXTURE_ROOT}\n`);
}

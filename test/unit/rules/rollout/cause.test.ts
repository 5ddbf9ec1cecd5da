import { describeCause, imageProblem, schedulerGist } from '../../../../lib/rules/rollout/cause';
import { podProblem } from '../../../../lib/rules/rollout/pods';
import { cond, containerInfo, NOW, podInfo, waitingContainer } from './support/model';

describe('imageProblem', () => {
  it.each([
    [
      'ErrImagePull',
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/shop/web:2.3.1": failed to resolve reference "docker.io/shop/web:2.3.1": docker.io/shop/web:2.3.1: not found',
      'not found',
    ],
    [
      'ErrImagePull',
      'rpc error: code = Unknown desc = failed to pull and unpack image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0": failed to resolve reference: pulling from host 123456789012.dkr.ecr.eu-west-1.amazonaws.com failed with status code [manifests 1.0]: 401 Unauthorized',
      'access denied',
    ],
    [
      'ErrImagePull',
      'rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/api:4": failed to resolve reference "ghcr.io/acme/api:4": failed to do request: Head "https://ghcr.io/v2/acme/api/manifests/4": dial tcp: lookup ghcr.io: i/o timeout',
      'registry unreachable',
    ],
    ['ImagePullBackOff', 'Back-off pulling image "shop/web:2.3.1"', 'cannot be pulled'],
    [
      'InvalidImageName',
      'Failed to apply default image tag "shop/Web:2.3.1": couldn\'t parse image name "shop/Web:2.3.1": invalid reference format: repository name must be lowercase',
      'has an invalid name',
    ],
    [
      'ErrImageNeverPull',
      'Container image "shop/web:2.3.1" is not present with pull policy of Never',
      'is not on the node and imagePullPolicy is Never',
    ],
  ])('%s: %s → %s', (reason, message, expected) => {
    expect(imageProblem(reason, message)).toBe(expected);
  });
});

it('schedulerGist keeps the placement verdict and drops the preemption part', () => {
  expect(
    schedulerGist(
      '0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.',
    ),
  ).toBe('0/6 nodes are available: 6 Insufficient cpu');
});

describe('podProblem', () => {
  it.each([
    ['a healthy pod', podInfo({ name: 'p' }), undefined],
    [
      'image pull before crash loop',
      podInfo({
        name: 'p',
        containers: [
          waitingContainer('CrashLoopBackOff', undefined, { name: 'sidecar' }),
          waitingContainer('ErrImagePull'),
        ],
      }),
      'ImagePull',
    ],
    [
      'config error',
      podInfo({
        name: 'p',
        containers: [waitingContainer('CreateContainerConfigError', 'secret "db" not found')],
      }),
      'ConfigError',
    ],
    [
      'unschedulable',
      podInfo({
        name: 'p',
        phase: 'Pending',
        containers: [],
        conditions: [cond('PodScheduled', 'False', { reason: 'Unschedulable' })],
      }),
      'Unschedulable',
    ],
    [
      'scheduling gated',
      podInfo({
        name: 'p',
        phase: 'Pending',
        containers: [],
        conditions: [cond('PodScheduled', 'False', { reason: 'SchedulingGated' })],
      }),
      'Unschedulable',
    ],
    [
      'still creating',
      podInfo({ name: 'p', containers: [waitingContainer('ContainerCreating')] }),
      undefined,
    ],
    [
      'an init container crash',
      podInfo({
        name: 'p',
        initContainers: [waitingContainer('CrashLoopBackOff', undefined, { name: 'init' })],
        containers: [waitingContainer('PodInitializing')],
      }),
      'CrashLoop',
    ],
    [
      'a finished pod',
      podInfo({ name: 'p', phase: 'Failed', containers: [waitingContainer('ErrImagePull')] }),
      undefined,
    ],
  ])('%s → %s', (_case, pod, kind) => {
    expect(podProblem(pod, NOW)?.kind).toBe(kind);
  });

  it('keeps the evidence: container, image, message', () => {
    const pod = podInfo({
      name: 'web-1',
      containers: [
        containerInfo({ name: 'proxy' }),
        waitingContainer('ImagePullBackOff', 'Back-off pulling image "shop/web:2.3.1"'),
      ],
    });
    expect(podProblem(pod, NOW)).toMatchObject({
      pod: 'web-1',
      node: 'node-a',
      container: 'app',
      image: 'shop/web:2.3.1',
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "shop/web:2.3.1"',
    });
  });
});

describe('describeCause', () => {
  it.each([
    [
      {
        kind: 'CrashLoop',
        scope: 'new',
        podsChecked: true,
        podCount: 1,
        pods: ['a'],
        container: 'app',
        lastExitCode: 1,
        lastReason: 'Error',
        restarts: 4,
      },
      '1 new pod crash-loops: container app last exited with code 1 (Error), 4 restarts',
    ],
    [
      {
        kind: 'CrashLoop',
        scope: 'all',
        podsChecked: true,
        podCount: 2,
        pods: ['a', 'b'],
        container: 'migrate',
        initContainer: true,
        restarts: 1,
      },
      '2 pods crash-loop: init container migrate keeps restarting, 1 restart',
    ],
    [{ kind: 'Paused', podsChecked: true, podCount: 0, pods: [] }, 'the rollout is paused'],
    [
      { kind: 'OnDeleteWaiting', scope: 'old', podsChecked: true, podCount: 1, pods: ['db-0'] },
      'the update strategy is OnDelete, so 1 old pod waits for manual deletion',
    ],
    [
      {
        kind: 'Unknown',
        podsChecked: true,
        podCount: 0,
        pods: [],
        limitations: ['pods were not collected (no pods in the input)'],
      },
      'the cause is unknown (pods were not collected (no pods in the input))',
    ],
    [
      {
        kind: 'ProgressDeadline',
        podsChecked: false,
        podCount: 0,
        pods: [],
        reason: 'ProgressDeadlineExceeded',
      },
      'it made no progress before its deadline (ProgressDeadlineExceeded); pods were not collected, so what they do is unknown',
    ],
    [
      {
        kind: 'ProgressDeadline',
        podsChecked: true,
        podCount: 0,
        pods: [],
        message: 'ReplicaSet "web-7c9d8f6b5" has timed out progressing.',
      },
      'it made no progress before its deadline (ReplicaSet "web-7c9d8f6b5" has timed out progressing.) and no pod shows an error',
    ],
  ] as const)('%j → %s', (cause, text) => {
    expect(describeCause(cause)).toBe(text);
  });
});

/**
 * Containers as the API server stores them (with the defaults it fills in), their probes and
 * volumes, image references as containerd reports them, and a container's status from how it is
 * running when kubectl looks.
 */
import type { JsonObject } from './documents';
import { defined } from './documents';
import { sha256 } from './ids';

/** A container spec with the API server's defaults under the given fields. */
export function container(fields: JsonObject): JsonObject {
  return {
    imagePullPolicy: 'IfNotPresent',
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...fields,
  };
}

/** An HTTP GET probe with the API server's defaults. */
export function httpProbe(
  path: string,
  port: string | number,
  periodSeconds = 10,
  initialDelaySeconds?: number,
): JsonObject {
  return defined({
    failureThreshold: 3,
    httpGet: { path, port, scheme: 'HTTP' },
    initialDelaySeconds,
    periodSeconds,
    successThreshold: 1,
    timeoutSeconds: 1,
  });
}

/** An exec probe with the API server's defaults. */
export function execProbe(
  command: string[],
  periodSeconds: number,
  initialDelaySeconds?: number,
): JsonObject {
  return defined({
    exec: { command },
    failureThreshold: 3,
    initialDelaySeconds,
    periodSeconds,
    successThreshold: 1,
    timeoutSeconds: 1,
  });
}

/** The pod spec fields the API server defaults when a template leaves them out. */
export const POD_SPEC_DEFAULTS: JsonObject = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

/** A hostPath volume (`type` '' = no check, the API default). */
export function hostPath(name: string, path: string, type = ''): JsonObject {
  return { hostPath: { path, type }, name };
}

/** The fully qualified reference containerd reports (`docker.io/library/` for short names). */
export function qualifiedImage(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasRegistry =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

// The bench asks for the same few thousand images 150,000 times.
const imageIds = new Map<string, string>();

/** `repository@sha256:digest`, as status.containerStatuses[].imageID and node images show. */
export function imageId(image: string): string {
  let id = imageIds.get(image);
  if (id === undefined) {
    const ref = qualifiedImage(image);
    const repository = ref.slice(0, ref.lastIndexOf(':'));
    id = `${repository}@sha256:${sha256(`digest:${ref}`)}`;
    imageIds.set(image, id);
  }
  return id;
}

/** How one container of a pod is doing when kubectl ran. */
export type ContainerRun =
  | {
      readonly kind: 'running';
      readonly startedAt: string;
      readonly restarts?: number;
      readonly last?: Termination;
    }
  | { readonly kind: 'completed'; readonly startedAt: string; readonly finishedAt: string }
  | { readonly kind: 'imagePullBackOff' }
  | { readonly kind: 'crashLoopBackOff'; readonly restarts: number; readonly last: Termination };

/** lastState.terminated: how the previous attempt of a container ended. */
export interface Termination {
  readonly reason: string;
  readonly exitCode: number;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** A container running since `startedAt`, never restarted. */
export const running = (startedAt: string): ContainerRun => ({ kind: 'running', startedAt });

/** The pod a container status belongs to: container ids and messages name it. */
export interface PodIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** One entry of status.containerStatuses (or initContainerStatuses), as the kubelet writes it. */
export function containerStatus(
  pod: PodIdentity,
  name: string,
  image: string,
  run: ContainerRun,
): JsonObject {
  const containerId = (attempt: number): string =>
    `containerd://${sha256(`container:${pod.namespace}/${pod.name}/${name}/${attempt}`)}`;
  switch (run.kind) {
    case 'imagePullBackOff':
      // Never created: no containerID or imageID, and the image exactly as the spec names it.
      return {
        image,
        imageID: '',
        lastState: {},
        name,
        ready: false,
        restartCount: 0,
        started: false,
        state: {
          waiting: { message: `Back-off pulling image "${image}"`, reason: 'ImagePullBackOff' },
        },
      };
    case 'completed':
      return {
        containerID: containerId(0),
        image: qualifiedImage(image),
        imageID: imageId(image),
        lastState: {},
        name,
        ready: true,
        restartCount: 0,
        started: false,
        state: {
          terminated: {
            containerID: containerId(0),
            exitCode: 0,
            finishedAt: run.finishedAt,
            reason: 'Completed',
            startedAt: run.startedAt,
          },
        },
      };
    case 'running': {
      const restarts = run.restarts ?? 0;
      return {
        containerID: containerId(restarts),
        image: qualifiedImage(image),
        imageID: imageId(image),
        lastState: run.last ? { terminated: terminated(run.last, containerId(restarts - 1)) } : {},
        name,
        ready: true,
        restartCount: restarts,
        started: true,
        state: { running: { startedAt: run.startedAt } },
      };
    }
    case 'crashLoopBackOff':
      return {
        containerID: containerId(run.restarts),
        image: qualifiedImage(image),
        imageID: imageId(image),
        lastState: { terminated: terminated(run.last, containerId(run.restarts)) },
        name,
        ready: false,
        restartCount: run.restarts,
        started: false,
        state: {
          waiting: {
            message: `back-off 5m0s restarting failed container=${name} pod=${pod.name}_${pod.namespace}(${pod.uid})`,
            reason: 'CrashLoopBackOff',
          },
        },
      };
  }
}

function terminated(t: Termination, containerId: string): JsonObject {
  return {
    containerID: containerId,
    exitCode: t.exitCode,
    finishedAt: t.finishedAt,
    reason: t.reason,
    startedAt: t.startedAt,
  };
}

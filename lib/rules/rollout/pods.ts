/** Pod diagnosis for the rollout rules: readiness, crash loops, each pod's most telling problem. */
import type { ContainerInfo, PodInfo } from '../model';

/**
 * A container restarting more often than once per this interval, averaged since its pod started,
 * counts as crash-looping. Source: the Weaveworks / early kubernetes-mixin alert
 * `rate(kube_pod_container_status_restarts_total[15m]) * 60 * 5 > 0` ("restarting N times / 5 minutes").
 */
export const CRASH_LOOP_RESTART_INTERVAL_MS = 5 * 60_000;

/** A single restart is a blip, not a loop: the rate test needs at least this many restarts. */
export const CRASH_LOOP_MIN_RESTARTS = 2;

/** Waiting reasons that mean the image cannot be pulled (kubelet images package). */
export const IMAGE_PULL_REASONS: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'SignatureValidationFailed',
]);

/** Waiting reasons that mean the container cannot even be created or started from its spec. */
export const CONFIG_ERROR_REASONS: ReadonlySet<string> = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/**
 * Every waiting reason the pod diagnosis treats as a problem wherever the pod runs: what a source
 * with server-side filters (Prometheus) selects problem pods by.
 */
export const PROBLEM_WAITING_REASONS: readonly string[] = [
  'CrashLoopBackOff',
  ...IMAGE_PULL_REASONS,
  ...CONFIG_ERROR_REASONS,
];

/** What is wrong with one pod, as far as its status tells. */
export type PodProblemKind = 'ImagePull' | 'ConfigError' | 'CrashLoop' | 'Unschedulable';

/** The order problems are reported in when a pod or a revision shows several. */
export const PROBLEM_PRIORITY: readonly PodProblemKind[] = [
  'ImagePull',
  'ConfigError',
  'CrashLoop',
  'Unschedulable',
];

/** One pod's problem with its evidence. */
export interface PodProblem {
  readonly kind: PodProblemKind;
  readonly pod: string;
  readonly node?: string;
  readonly container?: string;
  readonly initContainer?: boolean;
  readonly image?: string;
  /** The waiting reason, or the PodScheduled condition's reason. */
  readonly reason: string;
  readonly message?: string;
  readonly restarts?: number;
  readonly lastExitCode?: number;
  readonly lastReason?: string;
  /** When the problem began, as far as timestamps tell. */
  readonly since?: string;
}

/** A container that crash-loops, and why it counts. */
export interface CrashingContainer {
  readonly container: string;
  readonly initContainer: boolean;
  readonly image: string;
  readonly restarts: number;
  /** `CrashLoopBackOff`, `Running`, `Error`…: the current state's reason or kind. */
  readonly state: string;
  readonly message?: string;
  readonly lastExitCode?: number;
  readonly lastReason?: string;
  readonly lastFinishedAt?: string;
  /** Waiting in CrashLoopBackOff now, or restarting faster than the rate threshold. */
  readonly why: 'CrashLoopBackOff' | 'RestartRate';
  readonly since?: string;
}

/** Init containers first (they run first and block the rest), each marked. */
export function containersOf(
  pod: PodInfo,
): { readonly container: ContainerInfo; readonly init: boolean }[] {
  return [
    ...pod.initContainers.map((container) => ({ container, init: true })),
    ...pod.containers.map((container) => ({ container, init: false })),
  ];
}

/** A pod that has finished (Succeeded, or Failed such as evicted) never restarts again. */
export function isFinished(pod: PodInfo): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

/** Ready per the pod's Ready condition, or all containers ready when conditions are absent. */
export function isPodReady(pod: PodInfo): boolean {
  const ready = pod.conditions.find((c) => c.type === 'Ready');
  if (ready) return ready.status === 'True';
  return (
    pod.phase === 'Running' && pod.containers.length > 0 && pod.containers.every((c) => c.ready)
  );
}

/** When the pod started, else when it was created. */
export function podStart(pod: PodInfo): string | undefined {
  return pod.startTime ?? pod.createdAt;
}

/** The earliest of some ISO timestamps, ignoring ones that do not parse. */
export function earliest(times: Iterable<string | undefined>): string | undefined {
  let best: string | undefined;
  let bestMs = Infinity;
  for (const t of times) {
    if (t === undefined) continue;
    const ms = Date.parse(t);
    if (!Number.isNaN(ms) && ms < bestMs) {
      best = t;
      bestMs = ms;
    }
  }
  return best;
}

/**
 * The container crash-loops when it waits in CrashLoopBackOff, or when it restarted at least
 * CRASH_LOOP_MIN_RESTARTS times and more than once per CRASH_LOOP_RESTART_INTERVAL_MS since its
 * pod started (which catches containers caught running between two crashes).
 */
export function crashLoopOf(
  pod: PodInfo,
  container: ContainerInfo,
  init: boolean,
  now: number,
): CrashingContainer | undefined {
  if (isFinished(pod)) return undefined;
  const { state } = container;
  const last =
    container.lastTermination ??
    (state.kind === 'terminated' && container.restartCount > 0 ? state : undefined);
  const waitingBackOff = state.kind === 'waiting' && state.reason === 'CrashLoopBackOff';
  const started = podStart(pod);
  const elapsed = started === undefined ? NaN : now - Date.parse(started);
  const fastRestarts =
    container.restartCount >= CRASH_LOOP_MIN_RESTARTS &&
    Number.isFinite(elapsed) &&
    container.restartCount * CRASH_LOOP_RESTART_INTERVAL_MS > Math.max(elapsed, 0);
  if (!waitingBackOff && !fastRestarts) return undefined;
  const stateLabel =
    state.kind === 'waiting' || state.kind === 'terminated'
      ? (state.reason ?? state.kind)
      : state.kind === 'running'
        ? 'Running'
        : 'Unknown';
  return {
    container: container.name,
    initContainer: init,
    image: container.image,
    restarts: container.restartCount,
    state: stateLabel,
    ...(state.kind === 'waiting' && state.message !== undefined ? { message: state.message } : {}),
    ...(last?.exitCode !== undefined ? { lastExitCode: last.exitCode } : {}),
    ...(last?.reason !== undefined ? { lastReason: last.reason } : {}),
    ...(last?.finishedAt !== undefined ? { lastFinishedAt: last.finishedAt } : {}),
    why: fastRestarts ? 'RestartRate' : 'CrashLoopBackOff',
    // History, when a source has it, dates the loop itself; otherwise the rate is measured
    // from the pod's start, and a back-off alone is known since the last crash.
    ...optionalSince(container.crashLoopSince ?? (fastRestarts ? started : last?.finishedAt)),
  };
}

/** Every crash-looping container of a pod, init containers first. */
export function crashingContainersOf(pod: PodInfo, now: number): CrashingContainer[] {
  return containersOf(pod).flatMap(({ container, init }) => {
    const crash = crashLoopOf(pod, container, init, now);
    return crash ? [crash] : [];
  });
}

/**
 * The most telling problem of one pod (image pull before config errors before crash loops
 * before scheduling), or undefined when its status shows none.
 */
export function podProblem(pod: PodInfo, now: number): PodProblem | undefined {
  if (isFinished(pod)) return undefined;
  const found: PodProblem[] = [];
  const base = { pod: pod.name, ...(pod.nodeName ? { node: pod.nodeName } : {}) };
  for (const { container, init } of containersOf(pod)) {
    const { state } = container;
    const where = {
      ...base,
      container: container.name,
      ...(init ? { initContainer: true } : {}),
      image: container.image,
    };
    if (state.kind === 'waiting' && state.reason !== undefined) {
      const kind = IMAGE_PULL_REASONS.has(state.reason)
        ? 'ImagePull'
        : CONFIG_ERROR_REASONS.has(state.reason)
          ? 'ConfigError'
          : undefined;
      if (kind) {
        found.push({
          kind,
          ...where,
          reason: state.reason,
          ...(state.message !== undefined ? { message: state.message } : {}),
          ...optionalSince(pod.createdAt),
        });
        continue;
      }
    }
    const crash = crashLoopOf(pod, container, init, now);
    if (crash) {
      found.push({
        kind: 'CrashLoop',
        ...where,
        reason: crash.state,
        ...(crash.message !== undefined ? { message: crash.message } : {}),
        restarts: crash.restarts,
        ...(crash.lastExitCode !== undefined ? { lastExitCode: crash.lastExitCode } : {}),
        ...(crash.lastReason !== undefined ? { lastReason: crash.lastReason } : {}),
        ...optionalSince(crash.since),
      });
    }
  }
  const scheduled = pod.conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    found.push({
      kind: 'Unschedulable',
      ...base,
      reason: scheduled.reason ?? 'Unschedulable',
      ...(scheduled.message !== undefined ? { message: scheduled.message } : {}),
      ...optionalSince(scheduled.lastTransitionTime ?? pod.createdAt),
    });
  }
  return found.sort(
    (a, b) => PROBLEM_PRIORITY.indexOf(a.kind) - PROBLEM_PRIORITY.indexOf(b.kind),
  )[0];
}

function optionalSince(since: string | undefined): { since?: string } {
  return since === undefined ? {} : { since };
}

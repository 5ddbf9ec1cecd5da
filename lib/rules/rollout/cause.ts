/** Diagnoses why a rollout does not finish, most specific cause first, and words it. */
import type { Condition, PodInfo } from '../model';
import { groupBy, plural } from '../text';
import type { PodProblem, PodProblemKind } from './pods';
import { earliest, isPodReady, PROBLEM_PRIORITY, podProblem } from './pods';
import type { RolloutView } from './workloads';

/** Why a rollout does not finish, most specific first. */
export type CauseKind =
  | PodProblemKind
  /** The controller cannot create pods: a ResourceQuota is exhausted. */
  | 'Quota'
  /** The controller cannot create pods for another reason (admission, PodSecurity, webhook). */
  | 'CreateFailed'
  | 'Paused'
  | 'OnDeleteWaiting'
  /** A StatefulSet rollout held on purpose by spec.updateStrategy.rollingUpdate.partition. */
  | 'Partitioned'
  | 'ProgressDeadline'
  | 'Unknown';

/** The diagnosed cause, as it goes into `details.cause`. */
export interface RolloutCause {
  readonly kind: CauseKind;
  /** Whose pods the evidence is from: the target revision's (`new`), older ones (`old`) or all. */
  readonly scope?: 'new' | 'all' | 'old';
  readonly reason?: string;
  readonly message?: string;
  readonly image?: string;
  /** `not found`, `access denied`… read from the pull error message. */
  readonly imageProblem?: string;
  readonly container?: string;
  readonly initContainer?: boolean;
  readonly lastExitCode?: number;
  readonly lastReason?: string;
  readonly restarts?: number;
  /** ReplicaSet or Deployment whose ReplicaFailure condition reported the create failure. */
  readonly reportedBy?: string;
  readonly quota?: string;
  /** How many pods show the cause; `pods` lists at most MAX_LISTED_PODS of them. */
  readonly podCount: number;
  readonly pods: readonly string[];
  /** What could not be looked at (pods not collected, revision unknown). */
  readonly limitations?: readonly string[];
  /** Whether pod states were examined; false when pods were not collected. */
  readonly podsChecked: boolean;
  /** Why the workload's pods were not examined (and how to include them), when they were not. */
  readonly podsNotRead?: string;
  readonly since?: string;
}

/** A cause before `podsChecked` is stamped on it. */
type CauseBody = Omit<RolloutCause, 'podsChecked' | 'podsNotRead'>;

/** Pod names listed per cause; `podCount` keeps the full number. */
export const MAX_LISTED_PODS = 20;

/** What besides pods may explain a stuck rollout. */
export interface DiagnoseOptions {
  readonly paused?: boolean;
  /** The workload updates with OnDelete: this many old pods (per status) stay until deleted. */
  readonly onDelete?: { readonly waiting: number };
  /** A StatefulSet partition holds this many pods at the old revision on purpose. */
  readonly partition?: { readonly partition: number; readonly held: number };
  /** The Progressing=False/ProgressDeadlineExceeded condition, when present. */
  readonly deadline?: Condition;
}

/**
 * Names the cause of a stuck or short rollout: a create failure the controller reports, else what
 * the target revision's pods do, else paused / OnDelete, else what any pod does, else the progress
 * deadline, else Unknown with what could not be checked.
 */
export function diagnose(view: RolloutView, options: DiagnoseOptions, now: number): RolloutCause {
  return {
    ...findCause(view, options, now),
    podsChecked: view.pods !== undefined,
    ...(view.podsNotRead !== undefined ? { podsNotRead: view.podsNotRead } : {}),
  };
}

function findCause(view: RolloutView, options: DiagnoseOptions, now: number): CauseBody {
  const limitations = view.limitations.length > 0 ? { limitations: view.limitations } : {};
  if (view.createFailure) return createFailureCause(view.createFailure, limitations);
  const fromNew = view.pods ? problemsCause(view.newPods ?? view.pods, now) : undefined;
  // Pods are "new" only while older ones exist; otherwise they are simply the workload's pods.
  const rolling = view.newPods !== undefined && (view.oldPods?.length ?? 0) > 0;
  if (fromNew) return { ...fromNew, scope: rolling ? 'new' : 'all', ...limitations };
  if (options.paused) return { kind: 'Paused', podCount: 0, pods: [], ...limitations };
  if (options.onDelete) {
    return {
      kind: 'OnDeleteWaiting',
      scope: 'old',
      ...oldPodsOr(view, options.onDelete.waiting),
      ...limitations,
    };
  }
  if (options.partition) {
    return {
      kind: 'Partitioned',
      scope: 'old',
      reason: `partition ${options.partition.partition}`,
      ...oldPodsOr(view, options.partition.held),
      ...limitations,
    };
  }
  const fromOld = view.oldPods ? problemsCause(view.oldPods, now) : undefined;
  if (fromOld) return { ...fromOld, scope: 'old', ...limitations };
  if (options.deadline) {
    return {
      kind: 'ProgressDeadline',
      reason: options.deadline.reason ?? 'ProgressDeadlineExceeded',
      ...(options.deadline.message !== undefined ? { message: options.deadline.message } : {}),
      podCount: 0,
      pods: [],
      ...(options.deadline.lastTransitionTime !== undefined
        ? { since: options.deadline.lastTransitionTime }
        : {}),
      ...limitations,
    };
  }
  const notReady = (view.newPods ?? view.pods ?? []).filter((p) => !isPodReady(p));
  return {
    kind: 'Unknown',
    podCount: notReady.length,
    pods: listed(notReady.map((p) => p.name)),
    limitations: view.pods
      ? [
          ...view.limitations,
          view.pods.length > 0
            ? 'no pod reports an image, config, crash or scheduling error'
            : 'it has no pods',
        ]
      : view.limitations,
  };
}

/** The old pods when known, else the count the workload's status gives. */
function oldPodsOr(view: RolloutView, count: number): { podCount: number; pods: string[] } {
  if (!view.oldPods) return { podCount: count, pods: [] };
  return { podCount: view.oldPods.length, pods: listed(view.oldPods.map((p) => p.name)) };
}

function listed(names: readonly string[]): string[] {
  return [...names].sort().slice(0, MAX_LISTED_PODS);
}

function createFailureCause(
  failure: NonNullable<RolloutView['createFailure']>,
  limitations: { limitations?: readonly string[] },
): CauseBody {
  const message = failure.condition.message ?? '';
  const quota = /exceeded quota: ([^,\s]+)/.exec(message)?.[1];
  return {
    kind: quota !== undefined || /quota/i.test(message) ? 'Quota' : 'CreateFailed',
    reason: failure.condition.reason ?? 'FailedCreate',
    ...(message ? { message } : {}),
    reportedBy: failure.on,
    ...(quota !== undefined ? { quota } : {}),
    podCount: 0,
    pods: [],
    ...(failure.condition.lastTransitionTime !== undefined
      ? { since: failure.condition.lastTransitionTime }
      : {}),
    ...limitations,
  };
}

/** The most common value (first seen wins ties). */
function mostCommon<T>(values: readonly (T | undefined)[]): T | undefined {
  let best: T | undefined;
  let bestCount = 0;
  for (const [value, items] of groupBy(
    values.filter((v): v is T => v !== undefined),
    (v) => v,
  )) {
    if (items.length > bestCount) {
      best = value;
      bestCount = items.length;
    }
  }
  return best;
}

/** The dominant pod problem among some pods: most pods, ties broken by PROBLEM_PRIORITY. */
function problemsCause(pods: readonly PodInfo[], now: number): CauseBody | undefined {
  const problems = pods.flatMap((p) => {
    const problem = podProblem(p, now);
    return problem ? [problem] : [];
  });
  if (problems.length === 0) return undefined;
  const byKind = [...groupBy(problems, (p) => p.kind)].sort(
    ([ka, a], [kb, b]) =>
      b.length - a.length || PROBLEM_PRIORITY.indexOf(ka) - PROBLEM_PRIORITY.indexOf(kb),
  );
  const [kind, group] = byKind[0] ?? [];
  if (!kind || !group) return undefined;
  return { kind, ...evidence(kind, group) };
}

function evidence(kind: PodProblemKind, group: readonly PodProblem[]): Omit<CauseBody, 'kind'> {
  const reason = mostCommon(group.map((p) => p.reason));
  const container = mostCommon(group.map((p) => p.container));
  const ofContainer = group.filter((p) => p.container === container);
  const since = earliest(group.map((p) => p.since));
  const common = {
    ...(reason !== undefined ? { reason } : {}),
    podCount: group.length,
    pods: listed(group.map((p) => p.pod)),
    ...(since !== undefined ? { since } : {}),
  };
  const withContainer = {
    ...(container !== undefined ? { container } : {}),
    ...(ofContainer.some((p) => p.initContainer) ? { initContainer: true } : {}),
  };
  switch (kind) {
    case 'ImagePull': {
      const image = mostCommon(group.map((p) => p.image));
      // ErrImagePull carries the registry's answer; the back-off message only repeats the image.
      const message =
        group.find((p) => p.message !== undefined && !/^Back-off pulling/.test(p.message))
          ?.message ?? mostCommon(group.map((p) => p.message));
      return {
        ...common,
        ...withContainer,
        ...(image !== undefined ? { image } : {}),
        imageProblem: imageProblem(reason, message),
        ...(message !== undefined ? { message } : {}),
      };
    }
    case 'CrashLoop': {
      const exits = ofContainer.map((p) =>
        p.lastExitCode === undefined ? undefined : `${p.lastExitCode}|${p.lastReason ?? ''}`,
      );
      const exit = mostCommon(exits);
      const sample = ofContainer.find(
        (p) => `${p.lastExitCode ?? ''}|${p.lastReason ?? ''}` === exit,
      );
      return {
        ...common,
        ...withContainer,
        ...(sample?.lastExitCode !== undefined ? { lastExitCode: sample.lastExitCode } : {}),
        ...(sample?.lastReason !== undefined ? { lastReason: sample.lastReason } : {}),
        restarts: Math.max(0, ...ofContainer.map((p) => p.restarts ?? 0)),
      };
    }
    case 'ConfigError': {
      const message = mostCommon(group.map((p) => p.message));
      return { ...common, ...withContainer, ...(message !== undefined ? { message } : {}) };
    }
    case 'Unschedulable': {
      const message = mostCommon(group.map((p) => p.message));
      return { ...common, ...(message !== undefined ? { message } : {}) };
    }
  }
}

/** A short reading of an image pull error: `not found`, `access denied`, `registry unreachable`. */
export function imageProblem(reason: string | undefined, message: string | undefined): string {
  if (reason === 'InvalidImageName') return 'has an invalid name';
  if (reason === 'ErrImageNeverPull') return 'is not on the node and imagePullPolicy is Never';
  const m = message ?? '';
  if (/not found|NotFound|manifest unknown|does not exist/i.test(m)) return 'not found';
  if (/unauthorized|denied|authentication required|forbidden|401|403/i.test(m))
    return 'access denied';
  if (
    /no such host|i\/o timeout|connection refused|dial tcp|TLS handshake|deadline exceeded/i.test(m)
  )
    return 'registry unreachable';
  return 'cannot be pulled';
}

/** The first sentence of a scheduler message, without the preemption part. */
export function schedulerGist(message: string): string {
  return (message.split(' preemption:')[0] ?? message).trim().replace(/\.$/, '');
}

/** What the quota message says after `is forbidden: `. */
function forbiddenGist(message: string): string {
  const at = message.indexOf('is forbidden: ');
  return at >= 0 ? message.slice(at + 'is forbidden: '.length) : message;
}

/**
 * The cause as words for a summary, e.g. `3 new pods in ImagePullBackOff (image shop/web:2.3.1
 * not found)`. `resume` is the command that resumes a paused rollout.
 */
export function describeCause(cause: RolloutCause, resume?: string): string {
  const pods = (n: number): string =>
    plural(n, cause.scope === 'new' ? 'new pod' : cause.scope === 'old' ? 'old pod' : 'pod');
  const verb = (one: string, many: string): string => (cause.podCount === 1 ? one : many);
  const containerLabel = `${cause.initContainer ? 'init container' : 'container'} ${cause.container ?? '?'}`;
  switch (cause.kind) {
    case 'ImagePull':
      return `${pods(cause.podCount)} in ${cause.reason ?? 'ImagePullBackOff'} (image ${cause.image ?? '?'} ${cause.imageProblem ?? 'cannot be pulled'})`;
    case 'ConfigError':
      return `${pods(cause.podCount)} in ${cause.reason ?? 'CreateContainerConfigError'} (${cause.message ?? `${containerLabel} cannot be created`})`;
    case 'CrashLoop': {
      const exit =
        cause.lastExitCode !== undefined
          ? ` last exited with code ${cause.lastExitCode}${cause.lastReason ? ` (${cause.lastReason})` : ''}`
          : ' keeps restarting';
      return `${pods(cause.podCount)} ${verb('crash-loops', 'crash-loop')}: ${containerLabel}${exit}, ${plural(cause.restarts ?? 0, 'restart')}`;
    }
    case 'Unschedulable':
      return `${pods(cause.podCount)} cannot be scheduled (${cause.message ? schedulerGist(cause.message) : (cause.reason ?? 'Unschedulable')})`;
    case 'Quota':
    case 'CreateFailed':
      return `${cause.reportedBy ?? 'the controller'} cannot create pods (${cause.message ? forbiddenGist(cause.message) : (cause.reason ?? 'FailedCreate')})`;
    case 'Paused':
      return `the rollout is paused${resume ? `; resume it with \`${resume}\`` : ''}`;
    case 'OnDeleteWaiting':
      return `the update strategy is OnDelete, so ${pods(cause.podCount)} ${verb('waits', 'wait')} for manual deletion${countedFromStatus(cause)}`;
    case 'Partitioned':
      return `${cause.reason ?? 'a partition'} holds ${pods(cause.podCount)} at the old revision on purpose${countedFromStatus(cause)}`;
    case 'ProgressDeadline':
      return `it made no progress before its deadline (${cause.message ?? cause.reason ?? 'ProgressDeadlineExceeded'})${cause.podsChecked ? ' and no pod shows an error' : `; ${cause.podsNotRead ?? 'pods were not collected'}, so what they do is unknown`}`;
    case 'Unknown':
      return `the cause is unknown (${(cause.limitations ?? []).join('; ') || 'no evidence'})`;
  }
}

/** `, as its status counts them; pods … were not read (…)` when the pod count is the status's. */
function countedFromStatus(cause: RolloutCause): string {
  if (cause.podsChecked) return '';
  return `, as its status counts them; ${cause.podsNotRead ?? 'its pods were not read'}`;
}

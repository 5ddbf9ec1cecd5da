/** The kubectl commands rollout findings carry, with the real names and selector filled in. */
import type { Workload } from '../model';
import { unique } from '../text';
import type { RolloutCause } from './cause';
import type { RolloutView } from './workloads';
import { REVISION_HASH_LABEL } from './workloads';

/** `deployment/web`, the form `kubectl rollout` takes. */
export function resourceRef(workload: Workload): string {
  return `${workload.kind.toLowerCase()}/${workload.name}`;
}

/** `-l app=web,tier=front` for the workload's selector, or '' when it has none. */
export function selectorFlag(selector: Readonly<Record<string, string>>): string {
  const terms = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  return terms.length > 0 ? ` -l ${terms.join(',')}` : '';
}

/** `kubectl -n shop`. */
export function kubectlIn(namespace: string): string {
  return `kubectl -n ${namespace}`;
}

/** `kubectl -n shop rollout resume deployment/web`. */
export function resumeCommand(workload: Workload): string {
  return `${kubectlIn(workload.namespace)} rollout resume ${resourceRef(workload)}`;
}

/** The commands that show a workload's rollout state, with its namespace and name filled in. */
export function workloadCommands(workload: Workload): string[] {
  const k = kubectlIn(workload.namespace);
  const ref = resourceRef(workload);
  const sel = selectorFlag(workload.selector);
  const commands = [
    `${k} rollout status ${ref} --watch=false`,
    `${k} describe ${workload.kind.toLowerCase()} ${workload.name}`,
  ];
  if (workload.kind === 'Deployment') {
    commands.push(`${k} get replicasets${sel} -o wide`);
    commands.push(`${k} rollout history ${ref}`);
  } else {
    commands.push(`${k} get pods${sel} -o wide -L ${REVISION_HASH_LABEL}`);
  }
  return commands;
}

/** Commands for the pods and objects a cause names: describe, previous logs, quota, config. */
export function causeCommands(view: RolloutView, cause: RolloutCause): string[] {
  const { workload } = view;
  const k = kubectlIn(workload.namespace);
  const firstPod = cause.pods[0];
  const commands: string[] = [];
  if (firstPod !== undefined) commands.push(`${k} describe pod ${firstPod}`);
  switch (cause.kind) {
    case 'CrashLoop':
      if (firstPod !== undefined && cause.container !== undefined)
        commands.push(`${k} logs ${firstPod} -c ${cause.container} --previous`);
      break;
    case 'ConfigError': {
      const missing = /(configmap|secret) "([^"]+)" not found/i.exec(cause.message ?? '');
      if (missing)
        commands.push(`${k} get ${missing[1]?.toLowerCase() ?? 'configmap'} ${missing[2] ?? ''}`);
      break;
    }
    case 'Unschedulable':
      commands.push(`${k} get events --field-selector reason=FailedScheduling`);
      break;
    case 'Quota':
      commands.push(
        cause.quota !== undefined
          ? `${k} describe resourcequota ${cause.quota}`
          : `${k} describe resourcequota`,
      );
      break;
    default:
      break;
  }
  if (view.newReplicaSet && (cause.kind === 'Quota' || cause.kind === 'CreateFailed'))
    commands.push(`${k} describe replicaset ${view.newReplicaSet.name}`);
  if (cause.kind === 'Unknown' || cause.kind === 'ProgressDeadline') {
    const subject = view.newReplicaSet?.name ?? workload.name;
    commands.push(`${k} get events --field-selector involvedObject.name=${subject}`);
    commands.push(`${k} get pods${selectorFlag(workload.selector)} -o wide`);
  }
  return commands;
}

/** Workload commands then cause commands, without repeats. */
export function rolloutCommands(view: RolloutView, cause: RolloutCause): string[] {
  return unique([...workloadCommands(view.workload), ...causeCommands(view, cause)]);
}

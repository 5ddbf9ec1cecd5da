/** The PodCrashLooping rule: no container crash-loops; one finding per owning workload. */
import type { ClusterSnapshot, PodInfo, Subject } from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, MINUTE } from '../rule';
import { groupBy, plural, unique } from '../text';
import { kubectlIn, selectorFlag } from './commands';
import type { CrashingContainer } from './pods';
import { crashingContainersOf, earliest } from './pods';
import { countText, numberOf, wasText, workloadName } from '../last-finding';

/** Pods listed in one finding's details; `podCount` keeps the full number. */
export const MAX_CRASHING_PODS_LISTED = 50;

/** One crash-looping container of one pod, as listed in `details.pods`. */
interface CrashingPodEntry extends CrashingContainer {
  readonly pod: string;
  readonly node?: string;
}

/** No container or init container crash-loops; one finding per owning workload. */
export const PodCrashLooping = defineRule({
  id: 'PodCrashLooping',
  title: 'Pods crash-looping',
  description:
    'No container or init container waits in CrashLoopBackOff or restarts more than once per 5 minutes; findings are grouped per owning workload.',
  category: 'rollout',
  severity: 'warning',
  forSeconds: 15 * MINUTE,
  dates: 'crashLoop',
  needs: ['pods'],
  resolved: (last) => {
    const restarts = countText(numberOf(last, 'restartsTotal'), 'restart');
    if (last.subject.kind === 'Pod')
      return `Pod ${workloadName(last.subject)} no longer crash-loops${wasText([restarts])}`;
    return `Pods of ${last.subject.kind} ${workloadName(last.subject)} no longer crash-loop${wasText([countText(numberOf(last, 'podCount'), 'pod'), restarts])}`;
  },
  materialKeys: ['containers'],
  evaluate(snapshot, ctx) {
    const crashing = snapshot.pods.flatMap((pod) => {
      const containers = crashingContainersOf(pod, ctx.now);
      return containers.length > 0 ? [{ pod, containers }] : [];
    });
    const groups = groupBy(crashing, ({ pod }) => JSON.stringify(ownerSubject(pod)));
    return [...groups.values()].flatMap((members): RuleFinding[] => {
      const first = members[0];
      if (!first) return [];
      const subject = ownerSubject(first.pod);
      const entries: CrashingPodEntry[] = members
        .flatMap(({ pod, containers }) =>
          containers.map((c) => ({
            pod: pod.name,
            ...(pod.nodeName ? { node: pod.nodeName } : {}),
            ...c,
          })),
        )
        .sort((a, b) => a.pod.localeCompare(b.pod) || a.container.localeCompare(b.container));
      const podNames = unique(entries.map((e) => e.pod));
      const restartsTotal = entries.reduce((n, e) => n + e.restarts, 0);
      const since = earliest(entries.map((e) => e.since));
      const finding: RuleFinding = {
        subject,
        summary: summaryOf(subject, podNames.length, entries, restartsTotal),
        details: {
          podCount: podNames.length,
          containers: unique(entries.map((e) => e.container)).sort(),
          restartsTotal,
          pods: entries.slice(0, MAX_CRASHING_PODS_LISTED),
          ...(entries.length > MAX_CRASHING_PODS_LISTED
            ? { podsNotListed: entries.length - MAX_CRASHING_PODS_LISTED }
            : {}),
          commands: commandsOf(snapshot, subject, entries),
        },
        ...(since !== undefined ? { since } : {}),
      };
      return [finding];
    });
  },
});

/**
 * Whom a crash loop is reported against: the resolved workload, else the direct controller (a Job,
 * an unresolved ReplicaSet), else the pod. Static pods (owned by their Node) stay per pod, so
 * different components on one node are not lumped together.
 */
function ownerSubject(pod: PodInfo): Subject {
  if (pod.workload)
    return { kind: pod.workload.kind, namespace: pod.namespace, name: pod.workload.name };
  if (pod.owner && pod.owner.kind !== 'Node')
    return { kind: pod.owner.kind, namespace: pod.namespace, name: pod.owner.name };
  return { kind: 'Pod', namespace: pod.namespace, name: pod.name };
}

function summaryOf(
  subject: Subject,
  podCount: number,
  entries: readonly CrashingPodEntry[],
  restartsTotal: number,
): string {
  // Describe the container most pods have trouble with, and its most common way of ending.
  const byContainer = [
    ...groupBy(entries, (e) => `${e.initContainer ? 'init ' : ''}${e.container}`),
  ].sort(([, a], [, b]) => b.length - a.length);
  const [label, group] = byContainer[0] ?? ['', []];
  const byExit = [...groupBy(group, (e) => `${e.lastExitCode ?? ''}|${e.lastReason ?? ''}`)].sort(
    ([, a], [, b]) => b.length - a.length,
  );
  const sample = byExit[0]?.[1][0];
  const exit =
    sample?.lastExitCode !== undefined
      ? `last exited with code ${sample.lastExitCode}${sample.lastReason ? ` (${sample.lastReason})` : ''}`
      : `is in ${sample?.state ?? 'CrashLoopBackOff'}`;
  const container = `${label.startsWith('init ') ? 'init container' : 'container'} ${label.replace(/^init /, '')}`;
  const name = `${subject.namespace ?? ''}/${subject.name}`;
  if (subject.kind === 'Pod')
    return `Pod ${name} crash-loops: ${container} ${exit}, ${plural(restartsTotal, 'restart')}.`;
  return `${subject.kind} ${name}: ${plural(podCount, 'pod')} crash-loop${podCount === 1 ? 's' : ''}; ${container} ${exit}, ${plural(restartsTotal, 'restart')} in all.`;
}

function commandsOf(
  snapshot: ClusterSnapshot,
  subject: Subject,
  entries: readonly CrashingPodEntry[],
): string[] {
  const k = kubectlIn(subject.namespace ?? 'default');
  const first = entries[0];
  const commands: string[] = [];
  if (first) {
    commands.push(`${k} logs ${first.pod} -c ${first.container} --previous`);
    commands.push(`${k} describe pod ${first.pod}`);
  }
  const workload = snapshot.workloads.find(
    (w) => w.kind === subject.kind && w.namespace === subject.namespace && w.name === subject.name,
  );
  if (workload) {
    commands.push(`${k} get pods${selectorFlag(workload.selector)} -o wide`);
    commands.push(`${k} describe ${workload.kind.toLowerCase()} ${workload.name}`);
  }
  commands.push(`${k} get events --field-selector reason=BackOff`);
  return unique(commands);
}

/** The ConfigDrift rule: every Deployment, StatefulSet and DaemonSet in the manifests runs live as they say. */
import type {
  AutoscaledWorkload,
  DesiredWorkload,
  LiveWorkload,
  ManifestsState,
  WorkloadKey,
} from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, HOUR } from '../rule';
import { countOf, numberOf, wasText, workloadName } from '../last-finding';
import { plural } from '../text';
import type { FieldDifference } from './compare';
import { differences, NOT_SET } from './compare';

/** Differences named per finding; the count says how many more there are. */
const SHOWN = 5;

/** Every workload in the manifests exists live and matches the fields the manifest sets. */
export const ConfigDrift = defineRule({
  id: 'ConfigDrift',
  title: 'Workload drifted from its manifests',
  description:
    'Every Deployment, StatefulSet and DaemonSet in the rendered manifests exists in the cluster with the images, replicas (unless an HPA owns them) and pod template fields the manifest sets.',
  category: 'drift',
  severity: 'warning',
  forSeconds: 2 * HOUR,
  needs: ['manifests'],
  resolved: (last) => {
    const name = `${last.subject.kind} ${workloadName(last.subject)}`;
    if (last.details['missing'] === true)
      return `${name} exists in the cluster as the manifests say (was: missing)`;
    const count = numberOf(last, 'differenceCount') ?? countOf(last, 'differences');
    return `${name} matches its manifests again${wasText([
      count !== undefined ? `${plural(count, 'field')} differed` : undefined,
    ])}`;
  },
  materialKeys: ['missing', 'differences.*.path'],
  evaluate(snapshot) {
    const state = snapshot.manifests;
    if (!state) return [];
    const findings: RuleFinding[] = [];
    for (const desired of state.desired) {
      const live = state.live.find((l) => sameKey(l, desired));
      const finding = live ? drifted(desired, live, state) : missing(desired, state);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function missing(desired: DesiredWorkload, state: ManifestsState): RuleFinding {
  return {
    subject: subjectOf(desired),
    summary: `${nameOf(desired)} is in the manifests (${desired.file}) but not in the cluster${defaultedText(desired)}: apply the manifests (\`kubectl apply -f ${state.origin}\`), or remove it from them if it was deleted on purpose.`,
    details: { missing: true, file: desired.file, ...namespaceDetails(desired) },
  };
}

function drifted(
  desired: DesiredWorkload,
  live: LiveWorkload,
  state: ManifestsState,
): RuleFinding | undefined {
  const found: FieldDifference[] = [];
  const scaler = state.autoscaled?.find((a: AutoscaledWorkload) => sameKey(a, desired));
  const compareReplicas = desired.replicas !== undefined && desired.kind !== 'DaemonSet';
  if (compareReplicas && state.autoscaled && !scaler && desired.replicas !== live.replicas) {
    found.push({
      path: 'spec.replicas',
      manifest: String(desired.replicas),
      live: live.replicas === undefined ? NOT_SET : String(live.replicas),
    });
  }
  if (desired.template !== undefined) {
    found.push(...differences(desired.template, live.template, 'spec.template'));
  }
  if (found.length === 0) return undefined;
  const shown = found.slice(0, SHOWN);
  const more = found.length - shown.length;
  return {
    subject: subjectOf(desired),
    summary:
      `${nameOf(desired)} differs from the manifests (${desired.file}) in ${plural(found.length, 'field')}${defaultedText(desired)}: ` +
      `${shown.map((d) => `${d.path} (manifest ${d.manifest}, live ${d.live})`).join('; ')}${more > 0 ? `; and ${more} more` : ''}` +
      `; see \`kubectl diff -f ${state.origin}\`, then re-apply the manifests or commit the live change.`,
    details: {
      file: desired.file,
      differences: shown,
      differenceCount: found.length,
      ...namespaceDetails(desired),
      ...(scaler ? { replicasOwnedBy: `HorizontalPodAutoscaler ${scaler.hpa}` } : {}),
      ...(compareReplicas && !state.autoscaled
        ? {
            replicasNotCompared:
              state.autoscalersUnknown ?? 'HorizontalPodAutoscalers were not read',
          }
        : {}),
    },
  };
}

function sameKey(a: WorkloadKey, b: WorkloadKey): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

function subjectOf(w: WorkloadKey): { kind: string; namespace: string; name: string } {
  return { kind: w.kind, namespace: w.namespace, name: w.name };
}

function nameOf(w: WorkloadKey): string {
  return `${w.kind} ${w.namespace}/${w.name}`;
}

function defaultedText(w: DesiredWorkload): string {
  return w.namespaceDefaulted
    ? ` (the manifest names no namespace; ${w.namespace} was assumed)`
    : '';
}

function namespaceDetails(w: DesiredWorkload): Record<string, unknown> {
  return w.namespaceDefaulted ? { namespaceDefaulted: true } : {};
}

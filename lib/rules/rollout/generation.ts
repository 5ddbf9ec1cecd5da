/** The finding of the generation-mismatch rules: a controller behind its workload's spec. */
import type { Workload } from '../model';
import { numberOf, textOf, wasText, workloadName } from '../last-finding';
import type { LastFinding, RuleFinding } from '../rule';
import { kubectlIn } from './commands';
import { workloadLabel } from './report';
import { sinceFrom, subjectOf } from './workloads';

/**
 * A finding when the workload's controller has not yet observed its latest spec
 * (status.observedGeneration < metadata.generation); a missing observedGeneration counts as 0,
 * as kube-state-metrics reports it. Workloads whose source gives no generation are not judged.
 */
export function generationMismatch(workload: Workload, provider?: string): RuleFinding[] {
  const { generation } = workload;
  if (generation === undefined) return [];
  const observed = workload.observedGeneration ?? 0;
  if (observed >= generation) return [];
  const controller = `${workload.kind.toLowerCase()} controller`;
  const k = kubectlIn(workload.namespace);
  const resource = workload.kind.toLowerCase();
  const seen =
    workload.observedGeneration === undefined
      ? 'has never observed it'
      : `last observed ${observed}`;
  return [
    {
      subject: subjectOf(workload),
      // Generation 1 never observed has lagged since the object was created.
      ...sinceFrom(
        workload,
        'generationMismatch',
        generation === 1 && workload.observedGeneration === undefined
          ? workload.createdAt
          : undefined,
      ),
      summary:
        `${workloadLabel(workload)} is at generation ${generation} but the ${controller} ${seen}, ` +
        `so the latest spec change is not being rolled out. ${whereToLook(provider)}`,
      details: {
        generation,
        observedGeneration: workload.observedGeneration ?? null,
        generationsBehind: generation - observed,
        controller,
        commands: [
          `${k} get ${resource} ${workload.name} -o jsonpath='{.metadata.generation} {.status.observedGeneration}'`,
          `${k} get events --field-selector involvedObject.name=${workload.name}`,
          `${k} describe ${resource} ${workload.name}`,
          ...(managedControlPlane(provider)
            ? []
            : ['kubectl -n kube-system logs -l component=kube-controller-manager --tail=200']),
        ],
      },
    },
  ];
}

/** Providers that run kube-controller-manager out of sight of the cluster's pods. */
const MANAGED_CONTROL_PLANE: Readonly<Record<string, string>> = {
  eks: 'EKS: the controllerManager log type in CloudWatch Logs',
  gke: 'GKE: Cloud Logging, resource type k8s_control_plane_component',
  aks: 'AKS: the kube-controller-manager diagnostic log category',
};

function managedControlPlane(provider: string | undefined): string | undefined {
  return provider === undefined ? undefined : MANAGED_CONTROL_PLANE[provider];
}

function whereToLook(provider: string | undefined): string {
  const managed = managedControlPlane(provider);
  return managed
    ? `Look at the events for this object and at the controller-manager log (${managed}).`
    : 'Check that kube-controller-manager is running and look at its log and the events for this object.';
}

/**
 * The resolved notice of the generation-mismatch rules:
 * `The deployment controller observed the latest spec of Deployment shop/web (was: generation 5, last observed 4)`.
 */
export function generationResolved(last: LastFinding): string {
  const controller = textOf(last, 'controller') ?? `${last.subject.kind.toLowerCase()} controller`;
  const generation = numberOf(last, 'generation');
  const observed = numberOf(last, 'observedGeneration');
  return `The ${controller} observed the latest spec of ${last.subject.kind} ${workloadName(last.subject)}${wasText(
    [
      generation !== undefined ? `generation ${generation}` : undefined,
      observed !== undefined ? `last observed ${observed}` : 'never observed',
    ],
  )}`;
}

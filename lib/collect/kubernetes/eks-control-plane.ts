/** Controller-manager and scheduler versions of an EKS cluster, read from the control-plane metrics endpoints EKS exposes. */
import type { ControlPlaneInstance } from '../../rules/model';
import type { KubeClient } from './client';
import { KubeHttpError } from './client';

const EKS_METRICS: readonly { component: ControlPlaneInstance['component']; path: string }[] = [
  {
    component: 'kube-controller-manager',
    path: '/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics',
  },
  { component: 'kube-scheduler', path: '/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics' },
];

/** Reads controller-manager and scheduler versions from EKS's control-plane metrics endpoints. */
export async function readEksControlPlane(
  client: KubeClient,
  limit: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<{ instances: ControlPlaneInstance[]; problem?: string }> {
  const instances: ControlPlaneInstance[] = [];
  const problems: string[] = [];
  await Promise.all(
    EKS_METRICS.map(async ({ component, path }) => {
      try {
        const text = await limit(() => client.getText(path));
        const versions = buildInfoVersions(text);
        if (versions.length === 0) problems.push(`${path} has no kubernetes_build_info series`);
        versions.forEach((raw, i) =>
          instances.push({
            component,
            instance: `eks-${component}${versions.length > 1 ? `-${i}` : ''}`,
            version: { raw, source: `GET ${path} kubernetes_build_info` },
          }),
        );
      } catch (error) {
        if (error instanceof KubeHttpError && (error.status === 403 || error.status === 404)) {
          problems.push(
            error.status === 403
              ? `EKS control-plane metrics are not permitted: grant get on metrics.eks.amazonaws.com kcm/metrics and ksh/metrics (see deploy/rbac/skewguard-reader.yaml)`
              : `EKS control-plane metrics endpoints answered 404: this cluster does not serve metrics.eks.amazonaws.com yet (EKS adds it with Kubernetes 1.28 and later platform versions; an older platform version of the same Kubernetes version lacks it until EKS updates the cluster)`,
          );
          return;
        }
        problems.push(`reading ${path} failed: ${(error as Error).message}`);
      }
    }),
  );
  return {
    instances,
    ...(problems.length > 0 ? { problem: [...new Set(problems)].join('; ') } : {}),
  };
}

/** git_version label values of `kubernetes_build_info` samples in Prometheus text format. */
export function buildInfoVersions(text: string): string[] {
  const versions = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('kubernetes_build_info{')) continue;
    const match = /git_version="([^"]*)"/.exec(line);
    if (match?.[1]) versions.add(match[1]);
  }
  return [...versions];
}

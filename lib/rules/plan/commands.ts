/** The commands of each platform for each kind of step: EKS and kubeadm have their own; elsewhere none are invented. */
import type { PlanComponent, UpgradePlan } from './types';

/** What a command needs to name. */
export interface CommandContext {
  readonly platform: UpgradePlan['platform'];
  /** The cluster's name on its platform (the EKS cluster name), or the skewguard name. */
  readonly cluster: string;
}

/** The commands that carry out one step, or none where the platform has no standard ones. */
export function commandsFor(
  ctx: CommandContext,
  component: PlanComponent,
  targets: readonly string[],
  to: string,
): string[] {
  if (ctx.platform === 'eks') return eksCommands(ctx.cluster, component, targets, to);
  if (ctx.platform === 'kubeadm') return kubeadmCommands(component, targets, to);
  return [];
}

function eksCommands(
  cluster: string,
  component: PlanComponent,
  targets: readonly string[],
  to: string,
): string[] {
  switch (component) {
    case 'kube-apiserver':
      return [
        `aws eks update-cluster-version --name ${cluster} --kubernetes-version ${to}`,
        `aws eks wait cluster-active --name ${cluster}`,
      ];
    case 'kubelet':
      return targets
        .filter((t) => !t.startsWith('('))
        .map(
          (group) =>
            `aws eks update-nodegroup-version --cluster-name ${cluster} --nodegroup-name ${group} --kubernetes-version ${to}`,
        );
    case 'kube-proxy':
    case 'add-on':
      // The version to install is the add-on's default build for the minor, which EKS knows.
      return targets.flatMap((addon) => [
        `version=$(aws eks describe-addon-versions --addon-name ${addon} --kubernetes-version ${to} --query 'addons[0].addonVersions[?compatibilities[0].defaultVersion].addonVersion | [0]' --output text)`,
        `aws eks update-addon --cluster-name ${cluster} --addon-name ${addon} --addon-version "$version" --resolve-conflicts PRESERVE`,
      ]);
    default:
      // EKS runs etcd, controller-manager and scheduler itself; kubectl is the user's.
      return [];
  }
}

function kubeadmCommands(
  component: PlanComponent,
  targets: readonly string[],
  to: string,
): string[] {
  switch (component) {
    case 'kube-apiserver':
      return [
        `kubeadm upgrade plan v${to}.x   # on the first control-plane node, after upgrading kubeadm to ${to}`,
        `kubeadm upgrade apply v${to}.x  # on the first control-plane node`,
        `kubeadm upgrade node            # on every other control-plane node, one at a time`,
      ];
    case 'kubelet': {
      const where = targets.every((t) => t.startsWith('('))
        ? 'each of those nodes'
        : `each node of ${targets.join(', ')}`;
      return [
        `# ${where}, one at a time: drain it, upgrade it, uncordon it`,
        `kubectl drain <node> --ignore-daemonsets --delete-emptydir-data`,
        `kubeadm upgrade node   # on the node, after upgrading its kubeadm package to ${to}`,
        `systemctl daemon-reload && systemctl restart kubelet   # on the node, after upgrading its kubelet and kubectl packages to ${to}`,
        `kubectl uncordon <node>`,
      ];
    }
    case 'kube-proxy':
      return [
        `# kubeadm upgrade apply moves the kube-proxy DaemonSet to ${to} with the control plane`,
      ];
    default:
      return [];
  }
}

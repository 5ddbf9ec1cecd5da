/** The version inventory the skew rules share: each snapshot version parsed once, memoised. */
import type { ClusterSnapshot, ControlPlaneComponent, NodeInfo, VersionRef } from '../model';
import type { ParsedVersion } from '../version';
import { parseKubeVersion, parseVersion } from '../version';

/** A control-plane instance whose version parsed. */
export interface ParsedInstance {
  readonly component: ControlPlaneComponent;
  readonly instance: string;
  readonly ref: VersionRef;
  readonly version: ParsedVersion;
}

/** A node component (kubelet or kube-proxy) on one node whose version parsed. */
export interface ParsedNodeComponent {
  readonly node: NodeInfo;
  readonly ref: VersionRef;
  readonly version: ParsedVersion;
}

/** A version string that could not be parsed, and whose it is. */
export interface UnparseableVersion {
  readonly component: string;
  /** Node name or control-plane instance. */
  readonly owner: string;
  readonly ref: VersionRef;
  readonly reason: string;
}

/** Every version in the snapshot, parsed once and shared by the skew rules. */
export interface VersionInventory {
  readonly apiservers: readonly ParsedInstance[];
  /** Oldest and newest kube-apiserver minor (A_min, A_max); undefined when none parsed. */
  readonly aMin?: number;
  readonly aMax?: number;
  /** controller-manager, scheduler, cloud-controller-manager. */
  readonly controllers: readonly ParsedInstance[];
  readonly etcd: readonly ParsedInstance[];
  readonly kubelets: readonly ParsedNodeComponent[];
  readonly kubeProxies: readonly ParsedNodeComponent[];
  readonly unparseable: readonly UnparseableVersion[];
}

const cache = new WeakMap<ClusterSnapshot, VersionInventory>();

/** The snapshot's versions, parsed (memoised per snapshot object; no I/O). */
export function inventory(snapshot: ClusterSnapshot): VersionInventory {
  const cached = cache.get(snapshot);
  if (cached) return cached;
  const built = buildInventory(snapshot);
  cache.set(snapshot, built);
  return built;
}

function buildInventory(snapshot: ClusterSnapshot): VersionInventory {
  const unparseable: UnparseableVersion[] = [];
  const apiservers: ParsedInstance[] = [];
  const controllers: ParsedInstance[] = [];
  const etcd: ParsedInstance[] = [];
  for (const cp of snapshot.controlPlane) {
    // etcd has its own 3.x numbering; everything else is Kubernetes 1.x.
    const parsed =
      cp.component === 'etcd' ? parseVersion(cp.version.raw) : parseKubeVersion(cp.version.raw);
    if (!parsed.ok) {
      unparseable.push({
        component: cp.component,
        owner: cp.instance,
        ref: cp.version,
        reason: parsed.reason,
      });
      continue;
    }
    const item = {
      component: cp.component,
      instance: cp.instance,
      ref: cp.version,
      version: parsed.version,
    };
    if (cp.component === 'kube-apiserver') apiservers.push(item);
    else if (cp.component === 'etcd') etcd.push(item);
    else controllers.push(item);
  }
  const kubelets: ParsedNodeComponent[] = [];
  const kubeProxies: ParsedNodeComponent[] = [];
  for (const node of snapshot.nodes) {
    const kubelet = parseKubeVersion(node.kubeletVersion.raw);
    if (kubelet.ok) kubelets.push({ node, ref: node.kubeletVersion, version: kubelet.version });
    else
      unparseable.push({
        component: 'kubelet',
        owner: node.name,
        ref: node.kubeletVersion,
        reason: kubelet.reason,
      });
    if (node.kubeProxyVersion) {
      const proxy = parseKubeVersion(node.kubeProxyVersion.raw);
      if (proxy.ok) kubeProxies.push({ node, ref: node.kubeProxyVersion, version: proxy.version });
      else
        unparseable.push({
          component: 'kube-proxy',
          owner: node.name,
          ref: node.kubeProxyVersion,
          reason: proxy.reason,
        });
    }
  }
  const minors = apiservers.map((a) => a.version.minor);
  return {
    apiservers,
    ...(minors.length > 0 ? { aMin: Math.min(...minors), aMax: Math.max(...minors) } : {}),
    controllers,
    etcd,
    kubelets,
    kubeProxies,
    unparseable,
  };
}

/** Why apiserver-relative rules cannot decide, or undefined when A_min/A_max are known. */
export function apiserverBoundsMissing(inv: VersionInventory): string | undefined {
  if (inv.aMin !== undefined && inv.aMax !== undefined) return undefined;
  return 'no kube-apiserver version could be parsed, so skew cannot be measured (see VersionUnparseable)';
}

/** `1.30`, or `1.29–1.30` when the HA apiservers differ. */
export function apiserverRange(aMin: number, aMax: number): string {
  return aMin === aMax ? `1.${aMax}` : `1.${aMin}–1.${aMax}`;
}

/** Node groups of the given nodes (sorted), for "upgrade node group X" advice. */
export function nodeGroupsOf(nodes: readonly NodeInfo[]): string[] {
  return [
    ...new Set(nodes.map((n) => n.nodeGroup).filter((g): g is string => g !== undefined)),
  ].sort();
}

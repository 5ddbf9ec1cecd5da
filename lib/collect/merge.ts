/**
 * Merges the snapshots of two sources of one cluster (the Kubernetes API and Prometheus) into
 * one: every part either collected, every fact kept once with its provenance, and where the two
 * sources disagree a note saying which source saw what.
 */
import { opt } from '../util/opt';
import type {
  ClusterSnapshot,
  ControlPlaneInstance,
  MissingMetric,
  NodeInfo,
  PartStatus,
  PlatformSupport,
  SnapshotPart,
  VersionRef,
  Workload,
} from '../rules/model';
import { compareVersions, parseKubeVersion, parseVersion } from '../rules/version';

/**
 * One snapshot from two. Objects read from the Kubernetes API or files win over Prometheus'
 * reconstruction of them (they carry selectors, revisions and condition times), while
 * Prometheus adds what only history knows: `conditionSince`, every HA apiserver and etcd.
 */
export function mergeSnapshots(a: ClusterSnapshot, b: ClusterSnapshot): ClusterSnapshot {
  const [primary, secondary] = fromPrometheusOnly(a) && !fromPrometheusOnly(b) ? [b, a] : [a, b];
  const notes: string[] = [];
  const label = { primary: sourceLabel(primary), secondary: sourceLabel(secondary) };
  if (a.cluster !== b.cluster) {
    notes.push(
      `merged snapshots name different clusters (${a.cluster}, ${b.cluster}); ${a.cluster} is used.`,
    );
  }
  const parts = mergeParts(primary, secondary, label);
  return {
    cluster: a.cluster,
    collectedAt: a.collectedAt >= b.collectedAt ? a.collectedAt : b.collectedAt,
    sources: [
      ...primary.sources,
      ...secondary.sources.filter((s) => !primary.sources.some((p) => p.source === s.source)),
    ],
    parts,
    ...((primary.provider ?? secondary.provider)
      ? { provider: primary.provider ?? secondary.provider }
      : {}),
    controlPlane: mergeControlPlane(primary.controlPlane, secondary.controlPlane, notes),
    nodes: mergeNodes(primary.nodes, secondary.nodes, notes),
    workloads: mergeWorkloads(primary.workloads, secondary.workloads),
    replicaSets: unionBy(
      primary.replicaSets,
      secondary.replicaSets,
      (r) => `${r.namespace}/${r.name}`,
    ),
    pods: unionBy(primary.pods, secondary.pods, (p) => `${p.namespace}/${p.name}`),
    notes: [...primary.notes, ...secondary.notes, ...notes],
    // Facts only one source reads: kept from whichever has them, the primary first.
    ...opt('platform', richerPlatform(primary.platform, secondary.platform)),
    // Every source's sightings: the rule combines them per API, preferring measured traffic.
    ...bothOf('deprecatedApis', primary.deprecatedApis, secondary.deprecatedApis),
    ...firstOf('addons', primary.addons, secondary.addons),
    ...firstOf('versionHistory', primary.versionHistory, secondary.versionHistory),
    // Only the files source or the live CLI's local probe reads the client; never both at once.
    ...firstOf('kubectl', primary.kubectl, secondary.kubectl),
    // Only object sources (API, files) read GitOps objects, and a run reads the cluster once.
    ...firstOf('gitops', primary.gitops, secondary.gitops),
    // Only a Kubernetes-object source (API or files) carries pod templates to compare.
    ...firstOf('manifests', primary.manifests, secondary.manifests),
    ...missingMetricsFor(
      [...(primary.metricsMissing ?? []), ...(secondary.metricsMissing ?? [])],
      parts,
    ),
  };
}

function firstOf<K extends string, V>(
  key: K,
  a: V | undefined,
  b: V | undefined,
): { [P in K]?: V } {
  return opt(key, a ?? b);
}

/** The platform facts that say more: EKS's live calendar and policy over a provider recognised from versions. */
function richerPlatform(
  a: PlatformSupport | undefined,
  b: PlatformSupport | undefined,
): PlatformSupport | undefined {
  const weight = (p: PlatformSupport | undefined): number =>
    p === undefined
      ? -1
      : (p.eksVersions ? 2 : 0) + (p.upgradePolicy ? 1 : 0) + (p.provider === 'unknown' ? -0.5 : 0);
  return weight(b) > weight(a) ? b : a;
}

function bothOf<K extends string, V>(
  key: K,
  a: readonly V[] | undefined,
  b: readonly V[] | undefined,
): { [P in K]?: readonly V[] } {
  return opt(key, a || b ? [...(a ?? []), ...(b ?? [])] : undefined);
}

function fromPrometheusOnly(s: ClusterSnapshot): boolean {
  return s.sources.length > 0 && s.sources.every((x) => x.source === 'prometheus');
}

function sourceLabel(s: ClusterSnapshot): string {
  return [...new Set(s.sources.map((x) => x.source))].join('+') || 'unknown source';
}

/** A part is collected when either source collected it; otherwise both reasons are kept. */
function mergeParts(
  primary: ClusterSnapshot,
  secondary: ClusterSnapshot,
  label: { primary: string; secondary: string },
): Partial<Record<SnapshotPart, PartStatus>> {
  const parts: Partial<Record<SnapshotPart, PartStatus>> = {};
  const names = new Set([
    ...Object.keys(primary.parts),
    ...Object.keys(secondary.parts),
  ]) as Set<SnapshotPart>;
  for (const part of names) {
    const p = primary.parts[part];
    const s = secondary.parts[part];
    if (p?.state === 'collected' || s?.state === 'collected') {
      // Complete when either source read it whole; else the partial reasons of those that read it.
      const read = [p, s].filter((x) => x?.state === 'collected');
      const whole = read.some((x) => x?.state === 'collected' && x.partial === undefined);
      const partial = read.flatMap((x) => (x?.state === 'collected' ? (x.partial ?? []) : []));
      parts[part] =
        whole || partial.length === 0 ? { state: 'collected' } : { state: 'collected', partial };
      continue;
    }
    const reasons = [
      ...(p ? [`${label.primary}: ${p.reason}`] : []),
      ...(s ? [`${label.secondary}: ${s.reason}`] : []),
    ].join('; ');
    // A managed provider hiding a component outranks one source merely not seeing it.
    if (p?.state === 'notObservable' || s?.state === 'notObservable') {
      parts[part] = { state: 'notObservable', reason: reasons };
      continue;
    }
    const failures = [
      ...(p?.state === 'missing' ? (p.failures ?? []) : []),
      ...(s?.state === 'missing' ? (s.failures ?? []) : []),
    ];
    parts[part] = {
      state: 'missing',
      reason: reasons,
      ...(failures.length > 0 ? { failures } : {}),
    };
  }
  return parts;
}

/**
 * Missing series, each naming only the parts that are still not collected (another source or a
 * fallback may have filled the rest); series that no longer cost anything are dropped.
 */
export function missingMetricsFor(
  missing: readonly MissingMetric[],
  parts: Readonly<Partial<Record<SnapshotPart, PartStatus>>>,
): { metricsMissing?: MissingMetric[] } {
  const kept = missing.flatMap((m) => {
    // Collected by the other source, or hidden by a managed provider: nothing is missing there.
    const affects = m.affects.filter(
      (p) => parts[p]?.state === 'missing' || parts[p] === undefined,
    );
    return affects.length > 0 ? [{ ...m, affects }] : [];
  });
  return kept.length > 0 ? { metricsMissing: kept } : {};
}

/** Whether two version strings name the same version (`v1.30.2` and an image tag of it agree). */
function sameVersion(a: VersionRef, b: VersionRef, etcd: boolean): boolean {
  const parse = etcd ? parseVersion : parseKubeVersion;
  const pa = parse(a.raw);
  const pb = parse(b.raw);
  if (pa.ok && pb.ok) return compareVersions(pa.version, pb.version) === 0;
  return a.raw === b.raw;
}

/** The primary's reference, noting the secondary source when it saw the same version. */
function corroborated(primary: VersionRef, secondary: VersionRef): VersionRef {
  return { raw: primary.raw, source: `${primary.source} (agrees with ${secondary.source})` };
}

/**
 * Instances of one component are the same fact when they share an instance name or a node.
 * The API's whole-server answer (`serverVersion`) is redundant once Prometheus lists the real
 * apiservers, unless its version matches none of them.
 */
function mergeControlPlane(
  primary: readonly ControlPlaneInstance[],
  secondary: readonly ControlPlaneInstance[],
  notes: string[],
): ControlPlaneInstance[] {
  const out: ControlPlaneInstance[] = [];
  const used = new Set<ControlPlaneInstance>();
  for (const p of primary) {
    const etcd = p.component === 'etcd';
    const peers = secondary.filter((s) => s.component === p.component);
    if (p.instance === 'serverVersion' && peers.length > 0) {
      const match = peers.find((s) => sameVersion(p.version, s.version, etcd));
      if (match) continue;
      notes.push(
        `${p.version.source} is ${p.version.raw}, but Prometheus sees ${p.component} at ${peers.map((s) => `${s.version.raw} (${s.instance})`).join(', ')}; both are kept.`,
      );
      out.push(p);
      continue;
    }
    const twin = peers.find(
      (s) =>
        !used.has(s) && (s.instance === p.instance || (p.node !== undefined && s.node === p.node)),
    );
    if (!twin) {
      out.push(p);
      continue;
    }
    used.add(twin);
    if (sameVersion(p.version, twin.version, etcd)) {
      out.push({ ...p, version: corroborated(p.version, twin.version) });
      continue;
    }
    notes.push(
      `${p.component} on ${p.node ?? p.instance}: ${p.version.source} says ${p.version.raw}, ${twin.version.source} says ${twin.version.raw}; both are kept.`,
    );
    out.push(p, twin);
  }
  out.push(...secondary.filter((s) => !used.has(s)));
  return out;
}

/** Nodes by name: the primary's facts, gaps filled from the secondary, disagreements noted. */
function mergeNodes(
  primary: readonly NodeInfo[],
  secondary: readonly NodeInfo[],
  notes: string[],
): NodeInfo[] {
  const byName = new Map(secondary.map((n) => [n.name, n]));
  const disagreements: string[] = [];
  const merged = primary.map((p): NodeInfo => {
    const s = byName.get(p.name);
    if (!s) return p;
    byName.delete(p.name);
    let kubeletVersion = p.kubeletVersion;
    if (s.kubeletVersion.raw !== '' && p.kubeletVersion.raw !== '') {
      if (sameVersion(p.kubeletVersion, s.kubeletVersion, false))
        kubeletVersion = corroborated(p.kubeletVersion, s.kubeletVersion);
      else
        disagreements.push(
          `kubelet on ${p.name}: ${p.kubeletVersion.source} says ${p.kubeletVersion.raw}, ${s.kubeletVersion.source} says ${s.kubeletVersion.raw}`,
        );
    }
    let kubeProxyVersion = p.kubeProxyVersion ?? s.kubeProxyVersion;
    if (p.kubeProxyVersion && s.kubeProxyVersion) {
      if (sameVersion(p.kubeProxyVersion, s.kubeProxyVersion, false))
        kubeProxyVersion = corroborated(p.kubeProxyVersion, s.kubeProxyVersion);
      else
        disagreements.push(
          `kube-proxy on ${p.name}: ${p.kubeProxyVersion.source} says ${p.kubeProxyVersion.raw}, ${s.kubeProxyVersion.source} says ${s.kubeProxyVersion.raw}`,
        );
    }
    return {
      ...s,
      ...p,
      kubeletVersion: kubeletVersion.raw === '' ? s.kubeletVersion : kubeletVersion,
      ...(kubeProxyVersion ? { kubeProxyVersion } : {}),
    };
  });
  for (const d of disagreements) notes.push(`${d}; the first is used.`);
  return [...merged, ...byName.values()];
}

/** Workloads by kind and name: the primary's object, with the history-based `conditionSince` of either. */
function mergeWorkloads(primary: readonly Workload[], secondary: readonly Workload[]): Workload[] {
  const key = (w: Workload): string => `${w.kind}/${w.namespace}/${w.name}`;
  const byKey = new Map(secondary.map((w) => [key(w), w]));
  const merged = primary.map((p): Workload => {
    const s = byKey.get(key(p));
    if (!s) return p;
    byKey.delete(key(p));
    const since = { ...s.conditionSince, ...p.conditionSince };
    return Object.keys(since).length > 0 ? { ...p, conditionSince: since } : p;
  });
  return [...merged, ...byKey.values()];
}

function unionBy<T>(primary: readonly T[], secondary: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set(primary.map(key));
  return [...primary, ...secondary.filter((t) => !seen.has(key(t)))];
}

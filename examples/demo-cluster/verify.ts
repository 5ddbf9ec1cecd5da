/**
 * Consistency checks for the demo cluster files: owner references resolve, pods run on listed
 * nodes, controller status counts match the pods, times lie before the collection. Used by
 * generate.ts before it writes anything and by its `--check` mode.
 */

type Obj = Readonly<Record<string, unknown>>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function get(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isObj(current) ? current[key] : undefined;
  return current;
}

function text(value: unknown, ...path: string[]): string {
  const v = get(value, ...path);
  return typeof v === 'string' ? v : '';
}

/** A status count; the API omits zero counts (omitempty), so absent means 0. */
function count(value: unknown, ...path: string[]): number {
  const v = get(value, ...path);
  return typeof v === 'number' ? v : 0;
}

function objects(value: unknown, ...path: string[]): Obj[] {
  const v = get(value, ...path);
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function ref(o: Obj): string {
  const ns = text(o, 'metadata', 'namespace');
  return `${text(o, 'kind')} ${ns ? `${ns}/` : ''}${text(o, 'metadata', 'name')}`;
}

function isPodReady(pod: Obj): boolean {
  return objects(pod, 'status', 'conditions').some(
    (c) => c['type'] === 'Ready' && c['status'] === 'True',
  );
}

const LIST_FILES = ['nodes.json', 'kube-system-pods.json', 'app-pods.json', 'workloads.json'];
const TIME_KEY = /(Time|Timestamp|At|^startTime)$/;

/** Problems with the parsed demo files (file name → JSON); empty when all is consistent. */
export function verifyDemoCluster(
  files: Readonly<Record<string, unknown>>,
  collectedAtMs: number,
): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };

  const version = files['version.json'];
  for (const side of ['clientVersion', 'serverVersion']) {
    for (const key of [
      'major',
      'minor',
      'gitVersion',
      'gitCommit',
      'gitTreeState',
      'buildDate',
      'goVersion',
      'compiler',
      'platform',
    ]) {
      expect(text(version, side, key) !== '', `version.json: ${side}.${key} is missing`);
    }
  }
  const server = `v${text(version, 'serverVersion', 'major')}.${text(version, 'serverVersion', 'minor').replace('+', '')}.`;
  expect(
    text(version, 'serverVersion', 'gitVersion').startsWith(server),
    'version.json: serverVersion minor does not match gitVersion',
  );

  const items: Obj[] = [];
  for (const file of LIST_FILES) {
    const list = files[file];
    expect(
      text(list, 'kind') === 'List' && text(list, 'apiVersion') === 'v1',
      `${file}: not a v1 List`,
    );
    for (const item of objects(list, 'items')) {
      expect(
        text(item, 'kind') !== '' && text(item, 'apiVersion') !== '',
        `${file}: ${ref(item)} lacks kind or apiVersion`,
      );
      items.push(item);
    }
  }
  const ofKind = (kind: string) => items.filter((o) => o['kind'] === kind);
  const nodes = ofKind('Node');
  const pods = ofKind('Pod');
  expect(nodes.length > 0 && pods.length > 0, 'the demo needs nodes and pods');

  // Identity: unique uids, every controller reference resolves to the object it names.
  const byUid = new Map<string, Obj>();
  for (const o of items) {
    const id = text(o, 'metadata', 'uid');
    expect(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id),
      `${ref(o)}: uid ${id} is not a UUID v4`,
    );
    expect(!byUid.has(id), `${ref(o)}: uid ${id} is used twice`);
    byUid.set(id, o);
  }
  const ownedBy = new Map<string, Obj[]>();
  for (const o of items) {
    const owners = objects(o, 'metadata', 'ownerReferences');
    if (owners.length === 0) continue;
    expect(
      owners.filter((r) => r['controller'] === true).length === 1,
      `${ref(o)}: needs exactly one controller reference`,
    );
    for (const r of owners) {
      const target = byUid.get(text(r, 'uid'));
      const resolved =
        target !== undefined &&
        text(target, 'kind') === text(r, 'kind') &&
        text(target, 'apiVersion') === text(r, 'apiVersion') &&
        text(target, 'metadata', 'name') === text(r, 'name') &&
        text(target, 'metadata', 'namespace') === text(o, 'metadata', 'namespace');
      expect(
        resolved,
        `${ref(o)}: ownerReference ${text(r, 'kind')}/${text(r, 'name')} does not resolve`,
      );
      if (!target) continue;
      ownedBy.set(text(r, 'uid'), [...(ownedBy.get(text(r, 'uid')) ?? []), o]);
      expect(
        text(target, 'metadata', 'creationTimestamp') <= text(o, 'metadata', 'creationTimestamp'),
        `${ref(o)}: created before its owner ${ref(target)}`,
      );
    }
  }
  const children = (owner: Obj) => ownedBy.get(text(owner, 'metadata', 'uid')) ?? [];

  // Times: everything happened before kubectl ran.
  const visitTimes = (value: unknown, where: string): void => {
    if (Array.isArray(value)) value.forEach((v) => visitTimes(v, where));
    if (!isObj(value)) return;
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && TIME_KEY.test(key) && /^\d{4}-\d\d-\d\dT/.test(v)) {
        expect(
          Date.parse(v) <= collectedAtMs,
          `${where}: ${key} ${v} is after the collection time`,
        );
      }
      visitTimes(v, where);
    }
  };
  for (const o of items) visitTimes(o, ref(o));

  // Nodes and pod placement.
  const nodeByName = new Map(nodes.map((n) => [text(n, 'metadata', 'name'), n]));
  for (const n of nodes) {
    const info = get(n, 'status', 'nodeInfo');
    expect(
      text(info, 'kubeProxyVersion') === text(info, 'kubeletVersion'),
      `${ref(n)}: nodeInfo.kubeProxyVersion must copy kubeletVersion`,
    );
    expect(
      text(n, 'metadata', 'labels', 'kubernetes.io/hostname') === text(n, 'metadata', 'name'),
      `${ref(n)}: hostname label differs from name`,
    );
  }
  const podIps = new Map<string, string>();
  for (const pod of pods) {
    const nodeName = text(pod, 'spec', 'nodeName');
    const n = nodeByName.get(nodeName);
    expect(n !== undefined, `${ref(pod)}: runs on unknown node ${nodeName}`);
    expect(
      n === undefined || hostIpMatches(pod, n),
      `${ref(pod)}: hostIP is not its node's InternalIP`,
    );
    expect(
      text(n, 'metadata', 'creationTimestamp') <= text(pod, 'metadata', 'creationTimestamp'),
      `${ref(pod)}: created before its node joined`,
    );
    expect(
      text(pod, 'metadata', 'creationTimestamp') <= text(pod, 'status', 'startTime'),
      `${ref(pod)}: started before it was created`,
    );
    const ip = text(pod, 'status', 'podIP');
    if (get(pod, 'spec', 'hostNetwork') === true) {
      expect(
        ip === text(pod, 'status', 'hostIP'),
        `${ref(pod)}: hostNetwork pod IP is not the node IP`,
      );
    } else {
      expect(!podIps.has(ip) && !nodeIps(nodes).has(ip), `${ref(pod)}: pod IP ${ip} is taken`);
      podIps.set(ip, ref(pod));
    }
    const specNames = objects(pod, 'spec', 'containers')
      .map((c) => text(c, 'name'))
      .sort();
    const statusNames = objects(pod, 'status', 'containerStatuses').map((c) => text(c, 'name'));
    expect(
      JSON.stringify(specNames) === JSON.stringify(statusNames),
      `${ref(pod)}: container statuses do not match the spec`,
    );
    const allReady = objects(pod, 'status', 'containerStatuses').every((c) => c['ready'] === true);
    expect(
      isPodReady(pod) === allReady,
      `${ref(pod)}: Ready condition disagrees with its containers`,
    );
    expect(
      text(pod, 'metadata', 'labels', 'component') === '',
      `${ref(pod)}: EKS hides control-plane pods; none belong here`,
    );
  }
  for (const app of ['kube-proxy', 'aws-node']) {
    for (const nodeName of nodeByName.keys()) {
      const onNode = pods.filter(
        (p) =>
          text(p, 'metadata', 'labels', 'k8s-app') === app &&
          text(p, 'spec', 'nodeName') === nodeName,
      );
      expect(onNode.length === 1, `${nodeName}: expected one ${app} pod, found ${onNode.length}`);
    }
  }

  // Controllers: status counts match the pods they own.
  for (const rs of ofKind('ReplicaSet')) {
    const owned = children(rs);
    const hash = text(rs, 'metadata', 'labels', 'pod-template-hash');
    expect(
      text(rs, 'metadata', 'name').endsWith(`-${hash}`),
      `${ref(rs)}: name does not end with its pod-template-hash`,
    );
    expect(
      count(rs, 'spec', 'replicas') === owned.length &&
        count(rs, 'status', 'replicas') === owned.length,
      `${ref(rs)}: replicas ≠ ${owned.length} pods`,
    );
    expect(
      count(rs, 'status', 'readyReplicas') === owned.filter(isPodReady).length,
      `${ref(rs)}: readyReplicas ≠ ready pods`,
    );
    for (const pod of owned) {
      expect(
        selects(get(rs, 'spec', 'selector', 'matchLabels'), pod),
        `${ref(pod)}: not selected by its ${ref(rs)}`,
      );
      expect(
        text(pod, 'metadata', 'name').startsWith(`${text(rs, 'metadata', 'name')}-`),
        `${ref(pod)}: name does not start with its ReplicaSet's`,
      );
    }
  }
  for (const d of ofKind('Deployment')) {
    const sets = children(d);
    const revision = text(d, 'metadata', 'annotations', 'deployment.kubernetes.io/revision');
    const current = sets.find(
      (rs) => text(rs, 'metadata', 'annotations', 'deployment.kubernetes.io/revision') === revision,
    );
    const total = sets.reduce((sum, rs) => sum + count(rs, 'status', 'replicas'), 0);
    const ready = sets.reduce((sum, rs) => sum + count(rs, 'status', 'readyReplicas'), 0);
    expect(current !== undefined, `${ref(d)}: no ReplicaSet for revision ${revision}`);
    expect(
      count(d, 'status', 'replicas') === total,
      `${ref(d)}: status.replicas ≠ pods of all revisions (${total})`,
    );
    expect(
      count(d, 'status', 'updatedReplicas') === count(current, 'status', 'replicas'),
      `${ref(d)}: updatedReplicas ≠ current ReplicaSet`,
    );
    expect(
      count(d, 'status', 'readyReplicas') === ready &&
        count(d, 'status', 'availableReplicas') === ready,
      `${ref(d)}: ready/available ≠ ready pods`,
    );
    expect(
      count(d, 'status', 'unavailableReplicas') === total - ready,
      `${ref(d)}: unavailableReplicas ≠ replicas − available`,
    );
    expect(
      get(d, 'status', 'observedGeneration') === get(d, 'metadata', 'generation'),
      `${ref(d)}: observedGeneration ≠ generation`,
    );
    for (const c of objects(d, 'status', 'conditions')) {
      if (c['reason'] !== 'ProgressDeadlineExceeded') continue;
      expect(
        text(c, 'message').includes(`"${text(current, 'metadata', 'name')}"`),
        `${ref(d)}: the deadline message must name the newest ReplicaSet`,
      );
    }
  }
  for (const sts of ofKind('StatefulSet')) {
    const owned = children(sts);
    const withRevision = (key: string) =>
      owned.filter(
        (p) =>
          text(p, 'metadata', 'labels', 'controller-revision-hash') === text(sts, 'status', key),
      ).length;
    expect(
      count(sts, 'spec', 'replicas') === owned.length &&
        count(sts, 'status', 'replicas') === owned.length,
      `${ref(sts)}: replicas ≠ ${owned.length} pods`,
    );
    expect(
      count(sts, 'status', 'readyReplicas') === owned.filter(isPodReady).length,
      `${ref(sts)}: readyReplicas ≠ ready pods`,
    );
    expect(
      count(sts, 'status', 'updatedReplicas') === withRevision('updateRevision'),
      `${ref(sts)}: updatedReplicas ≠ pods at updateRevision`,
    );
    expect(
      count(sts, 'status', 'currentReplicas') === withRevision('currentRevision'),
      `${ref(sts)}: currentReplicas ≠ pods at currentRevision`,
    );
  }
  for (const ds of ofKind('DaemonSet')) {
    const owned = children(ds);
    const generation = String(get(ds, 'metadata', 'generation'));
    expect(
      count(ds, 'status', 'desiredNumberScheduled') === nodes.length &&
        owned.length === nodes.length,
      `${ref(ds)}: needs one pod per node`,
    );
    expect(
      count(ds, 'status', 'numberReady') === owned.filter(isPodReady).length,
      `${ref(ds)}: numberReady ≠ ready pods`,
    );
    expect(
      count(ds, 'status', 'updatedNumberScheduled') ===
        owned.filter((p) => text(p, 'metadata', 'labels', 'pod-template-generation') === generation)
          .length,
      `${ref(ds)}: updatedNumberScheduled ≠ pods of generation ${generation}`,
    );
  }
  return problems;
}

function nodeIps(nodes: readonly Obj[]): Set<string> {
  return new Set(
    nodes.flatMap((n) =>
      objects(n, 'status', 'addresses')
        .filter((a) => a['type'] === 'InternalIP')
        .map((a) => text(a, 'address')),
    ),
  );
}

function hostIpMatches(pod: Obj, n: Obj): boolean {
  return nodeIps([n]).has(text(pod, 'status', 'hostIP'));
}

function selects(matchLabels: unknown, pod: Obj): boolean {
  if (!isObj(matchLabels)) return false;
  return Object.entries(matchLabels).every(([k, v]) => get(pod, 'metadata', 'labels', k) === v);
}

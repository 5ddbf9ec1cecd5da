/** collectFromPrometheus against a misbehaving server: which faults fail the source, and which mark only parts missing. */
import { collectFromPrometheus } from '../../../../lib/collect/prometheus/collect';
import { partialFailureWarnings } from '../../../../lib/cli/warnings';
import { DEFAULT_POLICY, evaluate } from '../../../../lib/rules';
import {
  KIND_LABEL,
  PRESENCE_FAMILIES,
  PROBE_LABEL,
} from '../../../../lib/collect/prometheus/queries';
import type { FaultServer } from '../../../support/prometheus-fault-server';
import {
  EMPTY_VECTOR,
  FAST,
  OFFENDING,
  PRESENT,
  failure,
  ok,
  startFaultServer,
} from '../../../support/prometheus-fault-server';

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('collectFromPrometheus against a misbehaving server', () => {
  const collect = (url: string) =>
    collectFromPrometheus({
      cluster: 'c',
      url,
      auth: { type: 'none' },
      selector: 'cluster="c"',
      policy: FAST,
      collectedAt: () => '2026-11-21T12:00:00.000Z',
    });

  it('rejects an invalid job pattern before sending anything', async () => {
    server = await startFaultServer(() => ok());
    const error = await failure(
      collectFromPrometheus({
        cluster: 'c',
        url: server.url,
        auth: { type: 'none' },
        jobs: { kubelet: 'kubelet(' },
        collectedAt: () => '2026-11-21T12:00:00.000Z',
      }),
    );
    expect(error.kind).toBe('config');
    expect(error.message).toContain('jobs.kubelet "kubelet(" is not a valid regular expression');
    expect(server.seen).toHaveLength(0);
  });

  it('reads history for at least twice the longest `for` window', async () => {
    server = await startFaultServer((request) => {
      const query = new URLSearchParams(request.body).get('query') ?? '';
      if (query === 'vector(1)') return ok();
      return ok(query.includes(KIND_LABEL) ? OFFENDING : EMPTY_VECTOR);
    });
    await collectFromPrometheus({
      cluster: 'c',
      url: server.url,
      auth: { type: 'none' },
      forWindows: { generationMismatch: 2 * 3600 },
      collectedAt: () => '2026-11-21T12:00:00.000Z',
    });
    const queries = server.seen.map((r) => new URLSearchParams(r.body).get('query') ?? '');
    const since = queries.filter((q) => q.includes('skewguard_edge'));
    expect(since).toHaveLength(3);
    for (const q of since) expect(q).toContain('[14460s:60s]');
  });

  it('fails the source when the probe is unauthorised', async () => {
    server = await startFaultServer(() => ({ status: 401, body: '' }));
    expect((await failure(collect(server.url))).kind).toBe('auth');
    expect(server.seen).toHaveLength(1);
  });

  it('marks only the parts of a rejected query missing, and keeps the rest', async () => {
    server = await startFaultServer((request) => {
      const query = new URLSearchParams(request.body).get('query') ?? '';
      if (query === 'vector(1)') return ok();
      if (query.includes('skewguard_probe')) return ok(PRESENT);
      if (query.includes(KIND_LABEL)) return ok(OFFENDING);
      if (query.includes('kube_statefulset_(')) {
        return {
          status: 422,
          body: JSON.stringify({
            status: 'error',
            errorType: 'execution',
            error: 'query processing would load too many samples',
          }),
        };
      }
      return ok(EMPTY_VECTOR);
    });
    const { snapshot, stats } = await collect(server.url);
    // The probe, seven first-round queries (with the version history and deprecated APIs), fields and since of each
    // kind plus the Deployment's ReplicaSets (7), and the pods of the StatefulSet and DaemonSet
    // with their crash-loop history.
    expect(stats.requests).toBe(17);
    expect(snapshot.parts.statefulsets).toEqual({
      state: 'missing',
      reason: expect.stringContaining('too many samples') as unknown as string,
      failures: [expect.objectContaining({ source: 'prometheus' })],
    });
    // The CLI names the failed query on stderr: the skipped rules are not passes.
    const warnings = partialFailureWarnings(
      snapshot,
      evaluate(snapshot, DEFAULT_POLICY, Date.parse('2026-11-21T12:00:00Z')),
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /^skewguard: warning: prometheus answered, but a read failed .*too many samples.*Not collected: statefulsets; skipped, not passed: StatefulSet/,
      ),
    ]);
    expect(snapshot.parts.deployments).toEqual({ state: 'collected' });
    expect(snapshot.sources).toEqual([{ source: 'prometheus', status: 'ok' }]);
  });

  it('counts a family everywhere when kube-system has none of it, before calling it absent', async () => {
    const probe = (entries: [string, number][]): string =>
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result: entries.map(([name, value]) => ({
            metric: { [PROBE_LABEL]: name },
            value: [1795262400, String(value)],
          })),
        },
      });
    server = await startFaultServer((request) => {
      const query = new URLSearchParams(request.body).get('query') ?? '';
      if (query === 'vector(1)') return ok();
      // kube-state-metrics watches other namespaces only: no kube-system pods or ReplicaSets.
      if (query.includes('now:kube_node_info'))
        return ok(
          probe(
            PRESENCE_FAMILIES.filter((f) => !f.probeNamespace).map((f) => [`now:${f.metric}`, 3]),
          ),
        );
      if (query.includes('seen:kube_pod_info'))
        return ok(
          probe([
            ['now:kube_pod_info', 40],
            ['now:kube_replicaset_owner', 12],
          ]),
        );
      return ok(EMPTY_VECTOR);
    });
    const { snapshot } = await collect(server.url);
    expect(snapshot.parts.pods).toEqual({ state: 'collected' });
    expect(snapshot.parts.replicasets).toEqual({ state: 'collected' });
    // Only the version series this fake server does not have are missing, no kube-state-metrics family.
    expect((snapshot.metricsMissing ?? []).map((m) => m.series)).not.toEqual(
      expect.arrayContaining(['kube_pod_info']),
    );
    expect((snapshot.metricsMissing ?? []).filter((m) => m.series.startsWith('kube_'))).toEqual([]);
    const seen = server.seen.map((r) => new URLSearchParams(r.body).get('query') ?? '');
    expect(seen.find((q) => q.includes('now:kube_node_info'))).toContain(
      'kube_pod_info{cluster="c", namespace="kube-system"}',
    );
  });

  it('fails the source when no query answers although the probe did', async () => {
    server = await startFaultServer((request) =>
      new URLSearchParams(request.body).get('query') === 'vector(1)'
        ? ok()
        : { status: 500, body: 'down' },
    );
    const error = await failure(collect(server.url));
    expect(error.kind).toBe('server');
  });
});

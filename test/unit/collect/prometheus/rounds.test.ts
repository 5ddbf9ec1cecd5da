import { SourceError } from '../../../../lib/collect/errors';
import type { Sample, QueryOutcome } from '../../../../lib/collect/prometheus/types';
import type { Offenders } from '../../../../lib/collect/prometheus/queries';
import {
  clusterNameOfSelector,
  MAX_SET_VALUES,
  escapeRegex,
  setMatcher,
} from '../../../../lib/collect/prometheus/selector';
import {
  KIND_LABEL,
  secondRoundQueries,
  thirdRoundQueries,
} from '../../../../lib/collect/prometheus/queries';
import {
  absentFamilies,
  mixedClusters,
  offendersOf,
  podTargetsOf,
  settleNarrowedOutcomes,
} from '../../../../lib/collect/prometheus/rounds';

const answer = (...metrics: Record<string, string>[]): QueryOutcome => ({
  ok: true,
  samples: metrics.map((metric): Sample => ({ metric, value: 1 })),
  warnings: [],
});
const samplesOf = (outcome: QueryOutcome | undefined): readonly Sample[] =>
  outcome?.ok ? outcome.samples : [];
const failed = (message: string): QueryOutcome => ({
  ok: false,
  error: new SourceError('prometheus', 'server', message),
});

const OFFENDERS: Offenders = {
  workloads: {
    Deployment: new Set(['shop/web']),
    StatefulSet: new Set(['db/pg']),
    DaemonSet: new Set(),
  },
  problemPods: new Set(['batch/job-x-1']),
};

describe('narrowed selectors', () => {
  it('match exactly the given names, escaped, and nothing when there are none or too many', () => {
    expect(setMatcher('pod', ['b.c', 'a', 'a'])).toEqual(['pod=~"a|b\\\\.c"']);
    expect(setMatcher('pod', [])).toEqual([]);
    const many = Array.from({ length: MAX_SET_VALUES + 1 }, (_, i) => `p${i}`);
    expect(setMatcher('pod', many)).toEqual([]);
    expect(escapeRegex('a.b+c(d)|e')).toBe('a\\.b\\+c\\(d\\)\\|e');
  });

  it('leave out the queries of kinds without offenders', () => {
    const queries = secondRoundQueries([], OFFENDERS, []);
    expect(Object.keys(queries).sort()).toEqual([
      'deployments',
      'deploymentsSince',
      'owners',
      'statefulsets',
      'statefulsetsSince',
    ]);
    expect(queries.deployments).toContain('deployment=~"web"');
    expect(queries.deployments).toContain('namespace=~"shop"');
    expect(queries.owners).toContain('owner_name=~"web"');
    expect(queries.owners).toContain('pod=~"job-x-1"');
    expect(secondRoundQueries([], OFFENDERS, ['kube_pod_info']).seen).toContain(
      'seen:kube_pod_info',
    );
  });

  it('read the pods of an owner by the names its controller gives them', () => {
    const { pods } = thirdRoundQueries([], {
      replicaSets: new Set(),
      pods: new Set(['batch/job-x-1']),
      podOwners: new Set(['shop/web-7d9f8', 'db/pg']),
    });
    expect(pods).toContain('pod=~"job-x-1|(?:web-7d9f8|pg)-[a-z0-9]+"');
  });
});

describe('between the rounds', () => {
  it('reads the offenders, and which families are absent now', () => {
    const found = offendersOf({
      offending: answer(
        { [KIND_LABEL]: 'Deployment', namespace: 'shop', deployment: 'web' },
        { [KIND_LABEL]: 'StatefulSet', namespace: 'db', statefulset: 'pg' },
      ),
      problemPods: answer({ namespace: 'batch', pod: 'job-x-1' }),
    });
    expect(found.found).toEqual(OFFENDERS);
    expect(
      absentFamilies(
        answer({ skewguard_probe: 'now:kube_node_info' }, { skewguard_probe: 'now:kube_pod_info' }),
      ),
    ).not.toContain('kube_node_info');
  });

  it('targets the ReplicaSets of offending Deployments and of problem pods', () => {
    const targets = podTargetsOf(
      OFFENDERS,
      answer(
        {
          __name__: 'kube_replicaset_owner',
          namespace: 'shop',
          replicaset: 'web-7d9f8',
          owner_name: 'web',
        },
        // A namesake in another namespace, matched by the name-only selector.
        {
          __name__: 'kube_replicaset_owner',
          namespace: 'other',
          replicaset: 'web-1111',
          owner_name: 'web',
        },
        {
          __name__: 'kube_pod_owner',
          namespace: 'batch',
          pod: 'job-x-1',
          owner_kind: 'ReplicaSet',
          owner_name: 'job-x',
        },
      ),
    );
    expect([...targets.replicaSets].sort()).toEqual(['batch/job-x', 'shop/web-7d9f8']);
    expect([...targets.podOwners].sort()).toEqual(['db/pg', 'shop/web-7d9f8']);
    expect([...targets.ownerRefs].sort()).toEqual([
      'ReplicaSet shop/web-7d9f8',
      'StatefulSet db/pg',
    ]);
  });

  it('keeps exactly the offenders of each answer and drops namesakes', () => {
    const outcomes = {
      deployments: answer(
        { namespace: 'shop', deployment: 'web', __name__: 'kube_deployment_spec_replicas' },
        { namespace: 'other', deployment: 'web', __name__: 'kube_deployment_spec_replicas' },
      ),
      pods: answer(
        {
          __name__: 'kube_pod_owner',
          namespace: 'db',
          pod: 'pg-0',
          owner_kind: 'StatefulSet',
          owner_name: 'pg',
        },
        { __name__: 'kube_pod_info', namespace: 'db', pod: 'pg-0' },
        // pg-extra-abc matches the name pattern of pg but belongs to another owner.
        {
          __name__: 'kube_pod_owner',
          namespace: 'db',
          pod: 'pg-extra',
          owner_kind: 'ReplicaSet',
          owner_name: 'pg-extra-5f',
        },
        { __name__: 'kube_pod_info', namespace: 'batch', pod: 'job-x-1' },
      ),
    };
    const targets = podTargetsOf(OFFENDERS, answer());
    settleNarrowedOutcomes(outcomes, offendersOf({}), {
      ...targets,
      pods: OFFENDERS.problemPods,
    });
    // offendersOf({}) has no offenders: every kind's answer is empty, and so on.
    expect(outcomes.deployments).toEqual(answer());
    const withOffenders = {
      deployments: answer(
        { namespace: 'shop', deployment: 'web' },
        { namespace: 'other', deployment: 'web' },
      ),
      pods: outcomes.pods,
    };
    settleNarrowedOutcomes(withOffenders, { found: OFFENDERS }, targets);
    expect(samplesOf(withOffenders.deployments)).toHaveLength(1);
    const pods = samplesOf(withOffenders.pods);
    expect(pods.map((s) => `${s.metric['namespace']}/${s.metric['pod']}`).sort()).toEqual([
      'batch/job-x-1',
      'db/pg-0',
      'db/pg-0',
    ]);
  });

  it('fails what depended on a failed round instead of reporting it empty', () => {
    const outcomes: Partial<Record<string, QueryOutcome>> = {
      offending: failed('too many samples'),
    };
    const found = offendersOf(outcomes);
    settleNarrowedOutcomes(outcomes, found, podTargetsOf(found.found, undefined));
    for (const id of ['deployments', 'statefulsetsSince', 'replicasets', 'pods']) {
      expect(outcomes[id]).toMatchObject({
        ok: false,
        error: { message: 'too many samples' },
      });
    }
  });
});

describe('one cluster per check', () => {
  it.each<[string, Record<string, string>[], ReturnType<typeof mixedClusters>]>([
    ['one cluster label value', [{ cluster: 'a' }, { cluster: 'a' }, { job: 'x' }], undefined],
    ['no cluster label at all', [{ job: 'kubelet' }, { job: 'apiserver' }], undefined],
    [
      'two values of cluster',
      [{ cluster: 'b' }, { cluster: 'a' }, { cluster: 'b' }],
      { label: 'cluster', values: ['a', 'b'] },
    ],
    [
      'two values of the OpenTelemetry label',
      [{ k8s_cluster_name: 'x' }, { k8s_cluster_name: 'y' }],
      { label: 'k8s_cluster_name', values: ['x', 'y'] },
    ],
  ])('%s', (_, metrics, expected) => {
    expect(mixedClusters(answer(...metrics))).toEqual(expected);
  });

  it('cannot tell when the version query failed (its own error says so)', () => {
    expect(mixedClusters(failed('timeout'))).toBeUndefined();
    expect(mixedClusters(undefined)).toBeUndefined();
  });

  it.each([
    ['cluster="prod"', 'prod'],
    ['region="eu", cluster_name="prod-eu"', 'prod-eu'],
    ['cluster=~"prod.*"', undefined],
    ['cluster!="dev"', undefined],
    ['region="eu"', undefined],
    ['', undefined],
  ])('the selector %s names the cluster %s', (selector, name) => {
    expect(clusterNameOfSelector(selector)).toBe(name);
  });
});

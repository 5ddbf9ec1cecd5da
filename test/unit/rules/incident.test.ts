/** One incident per workload: keys, precedence and grouping shared by the CLI and notifiers. */
import type { IncidentMember } from '../../../lib/rules';
import {
  fingerprint,
  groupIncidents,
  incidentKey,
  INCIDENT_PRECEDENCE,
  RULES,
} from '../../../lib/rules';

const DB = { kind: 'StatefulSet', namespace: 'shop', name: 'orders-db' };
const member = (ruleId: string, subject = DB): IncidentMember => ({
  ruleId,
  subject,
  fingerprint: fingerprint('demo', ruleId, subject),
});

describe('incidents', () => {
  it('puts the workload rules of one workload under one key, apart from every fingerprint', () => {
    const members = [
      'PodCrashLooping',
      'StatefulSetReplicasMismatch',
      'StatefulSetUpdateNotRolledOut',
    ].map((id) => member(id));
    const keys = new Set(members.map((m) => incidentKey('demo', m)));
    expect(keys.size).toBe(1);
    expect(members.map((m) => m.fingerprint)).not.toContain([...keys][0]);
    expect(incidentKey('other', members[0]!)).not.toBe([...keys][0]);
  });

  it('keeps any other finding an incident of one, keyed by its fingerprint', () => {
    const kubelet = member('KubeletVersionSkew', { kind: 'Kubelet', name: 'v1.26' } as typeof DB);
    expect(incidentKey('demo', kubelet)).toBe(kubelet.fingerprint);
    const job = member('PodCrashLooping', { kind: 'Job', namespace: 'shop', name: 'migrate' });
    expect(incidentKey('demo', job)).toBe(job.fingerprint);
  });

  it('heads an incident by the fixed precedence, whatever order the findings came in', () => {
    const [incident, ...rest] = groupIncidents(
      [
        member('PodCrashLooping'),
        member('StatefulSetUpdateNotRolledOut'),
        member('StatefulSetReplicasMismatch'),
      ],
      'demo',
      (m) => m,
    );
    expect(rest).toEqual([]);
    expect(incident?.members.map((m) => m.ruleId)).toEqual([
      'StatefulSetReplicasMismatch',
      'StatefulSetUpdateNotRolledOut',
      'PodCrashLooping',
    ]);
    expect(incident?.headline.ruleId).toBe('StatefulSetReplicasMismatch');
  });

  it('ranks generation mismatch first, then rollout stuck, replicas, update, crash loop', () => {
    const order = (ids: string[]): number[] => ids.map((id) => INCIDENT_PRECEDENCE.indexOf(id));
    const ranks = order([
      'DeploymentGenerationMismatch',
      'DeploymentRolloutStuck',
      'DeploymentReplicasMismatch',
      'StatefulSetUpdateNotRolledOut',
      'PodCrashLooping',
    ]);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    // Every listed id is a rule of the catalogue.
    const ids = new Set(RULES.map((r) => r.id));
    expect(INCIDENT_PRECEDENCE.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('makes one incident of a GitOps app, its degraded health the headline', () => {
    const app = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
    const [incident, ...rest] = groupIncidents(
      ['GitOpsOutOfSync', 'GitOpsSyncFailed', 'GitOpsDegraded'].map((id) => member(id, app)),
      'demo',
      (m) => m,
    );
    expect(rest).toEqual([]);
    expect(incident?.members.map((m) => m.ruleId)).toEqual([
      'GitOpsDegraded',
      'GitOpsSyncFailed',
      'GitOpsOutOfSync',
    ]);
    // A Deployment of the same name is another incident.
    const web = { kind: 'Deployment', namespace: 'flux-system', name: 'apps' };
    expect(incidentKey('demo', member('DeploymentRolloutStuck', web))).not.toBe(incident?.key);
  });
});

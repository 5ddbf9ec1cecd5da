/**
 * One incident per workload across runs: a crash-looping StatefulSet's three findings page once
 * under one dedup key, and the pager hears `resolved` only when the last of them resolves.
 */
import { renderChat } from '../../../lib/notify/chat';
import { renderHuman } from '../../../lib/notify/human';
import type { NotificationBatch } from '../../../lib/notify/publisher';
import { planMessages } from '../../../lib/notify/sns';
import type { Finding, Severity } from '../../../lib/rules';
import { fingerprint, incidentKey } from '../../../lib/rules';
import { evaluated, LEDGER_CLUSTER as CLUSTER, runs } from './ledger-runs';

const DB = { kind: 'StatefulSet', namespace: 'shop', name: 'orders-db' };
const RULES = ['StatefulSetReplicasMismatch', 'StatefulSetUpdateNotRolledOut', 'PodCrashLooping'];

function member(ruleId: string, severity: Severity, summary: string, commands: string[]): Finding {
  return {
    ruleId,
    severity,
    subject: DB,
    fingerprint: fingerprint(CLUSTER, ruleId, DB),
    summary,
    details: { commands },
    forSeconds: 0,
    runbookUrl: `https://runbooks.example.com/${ruleId}.md`,
  };
}

const replicas = member(
  'StatefulSetReplicasMismatch',
  'critical',
  'StatefulSet shop/orders-db has 0 of 3 replicas ready: 3 pods crash-loop.',
  ['kubectl -n shop describe statefulset orders-db', 'kubectl -n shop logs orders-db-2 --previous'],
);
const update = member(
  'StatefulSetUpdateNotRolledOut',
  'warning',
  'Rollout of StatefulSet shop/orders-db is not finished (1 of 3 pods updated).',
  ['kubectl -n shop describe statefulset orders-db'],
);
const crash = member(
  'PodCrashLooping',
  'warning',
  'StatefulSet shop/orders-db: 3 pods crash-loop.',
  ['kubectl -n shop logs orders-db-2 --previous', 'kubectl -n shop get events'],
);
const run = (...findings: Finding[]) => evaluated(findings, RULES);

function machine(batch: NotificationBatch): Record<string, unknown>[] {
  return (planMessages(batch)?.others ?? [])
    .filter((m) => m.audience === 'machine')
    .map((m) => ({
      ...(JSON.parse(m.body) as Record<string, unknown>),
      routedAs: m.attributes.severity,
    }));
}

describe('one incident per workload', () => {
  const key = incidentKey(CLUSTER, replicas);

  it('pages each member under the incident key and closes it only with the last member', async () => {
    const [open, partly, closed] = await runs(
      run(replicas, update, crash),
      run(update, crash),
      run(),
    );
    const opened = machine(open!);
    expect(opened.map((m) => [m['status'], m['dedupKey'], m['fingerprint']])).toEqual([
      ['firing', key, replicas.fingerprint],
      ['firing', key, crash.fingerprint],
      ['firing', key, update.fingerprint],
    ]);
    // The critical member resolved while two still fire: no `resolved` under the open key.
    expect(partly!.transitions.map((t) => t.kind)).toEqual(['resolved']);
    expect(machine(partly!)).toEqual([]);
    // The last two resolve: one `resolved`, routed to whoever heard the critical member fire.
    const closing = machine(closed!);
    expect(closing).toHaveLength(1);
    expect(closing[0]).toMatchObject({ status: 'resolved', dedupKey: key });
    expect(closing[0]?.['routedAs']).toEqual(['critical', 'warning']);
  });

  it('shows the three findings as one entry in the email: headline, cause once, also, commands once', async () => {
    const [open] = await runs(run(crash, update, replicas));
    const digest = renderHuman(open!)!;
    expect(digest.subject).toBe('[CRITICAL] prod-eu: 3 new - StatefulSetReplicasMismatch');
    expect(digest.body).toContain(`== FIRING (new or changed) (1) ==

[CRITICAL] StatefulSetReplicasMismatch - StatefulSet shop/orders-db
  StatefulSet shop/orders-db has 0 of 3 replicas ready: 3 pods crash-loop.
  Also: StatefulSetUpdateNotRolledOut, PodCrashLooping
  First seen: 2024-05-01T12:00:00.000Z (under 1m ago)
  Runbook:    https://runbooks.example.com/StatefulSetReplicasMismatch.md
  Commands:
    kubectl -n shop describe statefulset orders-db
    kubectl -n shop logs orders-db-2 --previous
    kubectl -n shop get events

`);
  });

  it('posts the incident as one chat bullet under its headline rule', async () => {
    const [open] = await runs(run(crash, update, replicas));
    const messages = renderChat(open!);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.notification.content.description).toBe(
      '• `StatefulSet shop/orders-db` critical: StatefulSet shop/orders-db has 0 of 3 replicas ready: 3 pods crash-loop. (since under 1m ago) Also: StatefulSetUpdateNotRolledOut, PodCrashLooping.',
    );
    expect(messages[0]?.carries).toHaveLength(3);
    // It carries three rules' findings, so it routes without a single ruleId.
    expect(messages[0]?.attributes.ruleId).toBeUndefined();
  });

  it('lists a still-firing incident on one line', async () => {
    const other = { ...crash, subject: { ...DB, name: 'cart' } };
    other.fingerprint = fingerprint(CLUSTER, other.ruleId, other.subject);
    const [, second] = await runs(
      run(crash, update, replicas),
      run(crash, update, replicas, other),
    );
    expect(renderHuman(second!)!.body).toContain(
      '\n- [CRITICAL] StatefulSetReplicasMismatch - StatefulSet shop/orders-db, since 5m ago; also Statefu...\n',
    );
  });
});

/**
 * The scheduled upgrade plan: sent on the first complete run, then only when it changed, worked
 * out at most once per period, never from a run where a source failed, and retried when SNS did
 * not take it. Runs the real read cache on the in-memory ledger store.
 */
import type { CheckResult } from '../../../lib/check';
import type { ClusterConfig } from '../../../lib/config';
import { parseConfig } from '../../../lib/config';
import { LedgerReadCache, MemoryLedgerStore } from '../../../lib/ledger';
import type { OutboundMessage } from '../../../lib/notify/publisher';
import { PublishError } from '../../../lib/notify/publisher';
import type { ClusterSnapshot } from '../../../lib/rules';
import type { PlanNoticeDeps } from '../../../functions/check/plan-notice';
import { PLAN_CHECKED, PLAN_SENT, sendPlanIfChanged } from '../../../functions/check/plan-notice';
import { NOW } from '../../support/evaluate';
import { snapshotOf } from '../../support/evaluate';
import { clusterDocuments } from '../../support/kube-objects';

const DAY = 86_400_000;

/** A cluster on 1.30 whose node group `old` runs 1.29 kubelets (`oldKubelet` moves it). */
function snapshot(oldKubelet = 'v1.29.9'): ClusterSnapshot {
  return snapshotOf(
    clusterDocuments({
      serverVersion: 'v1.30.4',
      kubelets: { 'new-1': 'v1.30.4', 'old-1': oldKubelet },
      nodeGroups: { 'new-1': 'new', 'old-1': 'old' },
    }),
    'lab',
  );
}

/** A check result: the fields the plan reads are the snapshot and the sources' status. */
function result(snap: ClusterSnapshot, failed: readonly string[] = []): CheckResult {
  return {
    snapshot: snap,
    summary: {
      sources: [
        { source: 'kubernetes', status: failed.includes('kubernetes') ? 'failed' : 'ok' },
        { source: 'prometheus', status: failed.includes('prometheus') ? 'failed' : 'ok' },
      ],
    },
  } as unknown as CheckResult;
}

function clusterWith(plan: Record<string, unknown> | undefined): ClusterConfig {
  const config = parseConfig({
    clusters: [
      {
        name: 'lab',
        kubernetes: {
          server: 'https://10.0.0.1:6443',
          tokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:lab/token-AbCdEf',
        },
        ...(plan ? { plan } : {}),
      },
    ],
  });
  return config.clusters[0]!;
}

describe('sendPlanIfChanged', () => {
  let store: MemoryLedgerStore;
  let cache: LedgerReadCache;
  let sent: OutboundMessage[];
  let warnings: string[];
  let publishFailures: PublishError[];
  let failNextPublish: boolean;
  let deps: PlanNoticeDeps;

  beforeEach(() => {
    store = new MemoryLedgerStore();
    cache = new LedgerReadCache(store, 'lab');
    sent = [];
    warnings = [];
    publishFailures = [];
    failNextPublish = false;
    deps = {
      cache,
      publish: (message) => {
        if (failNextPublish) {
          failNextPublish = false;
          return Promise.reject(
            new PublishError('SNS is throttling', {
              audience: 'human',
              messageLabel: message.label,
              undelivered: [],
              attempts: 3,
              retryable: true,
            }),
          );
        }
        sent.push(message);
        return Promise.resolve();
      },
      log: { info: () => undefined, warn: (message) => warnings.push(message) },
      onPublishFailure: (error) => publishFailures.push(error),
    };
  });

  it('does nothing for a cluster without plan:', async () => {
    await expect(
      sendPlanIfChanged(clusterWith(undefined), result(snapshot()), NOW, deps),
    ).resolves.toBe('not-configured');
    expect(sent).toEqual([]);
    expect(await store.load('lab')).toEqual([]);
  });

  it('sends the markdown plan once, then waits the period, then stays quiet while it is unchanged', async () => {
    const cluster = clusterWith({ to: '1.32', schedule: 'daily' });
    expect(await sendPlanIfChanged(cluster, result(snapshot()), NOW, deps)).toBe('sent');
    expect(sent).toHaveLength(1);
    const [message] = sent;
    expect(message!.subject).toBe('[PLAN] lab: upgrade 1.30 -> 1.32, 2 hops, clear');
    expect(message!.attributes).toEqual({
      audience: 'human',
      severity: 'info',
      cluster: 'lab',
      status: 'plan',
    });
    expect(message!.body).toMatch(/^The upgrade plan for lab changed \(checked 20\d\d-/);
    expect(message!.body).toContain('- [ ] ');

    // Within the day: not worked out again.
    expect(await sendPlanIfChanged(cluster, result(snapshot()), NOW + DAY / 2, deps)).toBe(
      'not-due',
    );
    // The next day, the same plan: not sent again.
    expect(await sendPlanIfChanged(cluster, result(snapshot()), NOW + DAY + 1, deps)).toBe(
      'unchanged',
    );
    expect(sent).toHaveLength(1);
  });

  it('sends again when the plan changed: a node group left the window for the first hop', async () => {
    const cluster = clusterWith({ to: '1.32', schedule: 'daily' });
    await sendPlanIfChanged(cluster, result(snapshot()), NOW, deps);
    expect(await sendPlanIfChanged(cluster, result(snapshot('v1.27.9')), NOW + DAY + 1, deps)).toBe(
      'sent',
    );
    expect(sent.map((m) => m.subject)).toEqual([
      '[PLAN] lab: upgrade 1.30 -> 1.32, 2 hops, clear',
      '[PLAN] lab: upgrade 1.30 -> 1.32, 2 hops, blocked',
    ]);
    expect(sent[1]!.attributes.severity).toBe('warning');
    expect(sent[1]!.body).toContain(
      'kubelet 1.27 on node group old (1 node) would be 4 minors behind 1.31',
    );
  });

  it('works the plan out at once when plan.to changes, without waiting for the period', async () => {
    await sendPlanIfChanged(clusterWith({ to: '1.31' }), result(snapshot()), NOW, deps);
    expect(
      await sendPlanIfChanged(clusterWith({ to: '1.32' }), result(snapshot()), NOW + 1000, deps),
    ).toBe('sent');
    expect(sent.map((m) => m.subject)).toEqual([
      '[PLAN] lab: upgrade 1.30 -> 1.31, 1 hop, clear',
      '[PLAN] lab: upgrade 1.30 -> 1.32, 2 hops, clear',
    ]);
  });

  it('never plans from a run where a source failed, and tries again on the next run', async () => {
    const cluster = clusterWith({});
    expect(await sendPlanIfChanged(cluster, result(snapshot(), ['prometheus']), NOW, deps)).toBe(
      'incomplete',
    );
    expect(warnings).toEqual([
      'upgrade plan not worked out: a source failed; it is tried again next run',
    ]);
    expect(await store.load('lab')).toEqual([]);
    expect(await sendPlanIfChanged(cluster, result(snapshot()), NOW + 300_000, deps)).toBe('sent');
    expect(sent[0]!.subject).toBe('[PLAN] lab: upgrade 1.30 -> 1.31, 1 hop, clear');
  });

  it('logs a refused target once per period, naming the reason and the config field', async () => {
    const cluster = clusterWith({ to: '1.29', schedule: 'weekly' });
    expect(await sendPlanIfChanged(cluster, result(snapshot()), NOW, deps)).toBe('refused');
    expect(warnings).toEqual([
      expect.stringMatching(
        /^no upgrade plan for lab: the target 1\.29 is below the cluster's kube-apiserver 1\.30/,
      ),
    ]);
    expect(await sendPlanIfChanged(cluster, result(snapshot()), NOW + 6 * DAY, deps)).toBe(
      'not-due',
    );
    expect(warnings).toHaveLength(1);
    expect(sent).toEqual([]);
  });

  it('retries a plan SNS did not take on the next run, and reports the failure', async () => {
    const cluster = clusterWith({});
    failNextPublish = true;
    expect(await sendPlanIfChanged(cluster, result(snapshot()), NOW, deps)).toBe('failed');
    expect(publishFailures.map((e) => e.message)).toEqual(['SNS is throttling']);
    expect(
      (await cache.get(PLAN_SENT, NOW)) ?? (await cache.get(PLAN_CHECKED, NOW)),
    ).toBeUndefined();
    expect(await sendPlanIfChanged(cluster, result(snapshot()), NOW + 300_000, deps)).toBe('sent');
    expect(sent).toHaveLength(1);
  });
});

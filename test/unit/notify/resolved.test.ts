/**
 * Resolved and changed findings end to end: through Ledger + MemoryLedgerStore into the human
 * digest, chat and machine messages, with the rules' own resolved wording (exact text).
 */
import type { Transition } from '../../../lib/ledger';
import { renderChat } from '../../../lib/notify/chat';
import { digestSubject, renderHuman } from '../../../lib/notify/human';
import { renderMachine } from '../../../lib/notify/machine';
import type { Evaluation, Finding } from '../../../lib/rules';
import { fingerprint } from '../../../lib/rules';
import { transition } from './build';
import { evaluated, LEDGER_CLUSTER as CLUSTER, runs } from './ledger-runs';

function kubeletSkew(): Finding {
  const subject = { kind: 'Kubelet', name: 'v1.26' };
  return {
    ruleId: 'KubeletVersionSkew',
    severity: 'critical',
    subject,
    fingerprint: fingerprint(CLUSTER, 'KubeletVersionSkew', subject),
    summary:
      '4 nodes run kubelet 1.26, 4 minors behind kube-apiserver 1.30; the policy allows 3. Upgrade node group ng-old to at least 1.27.',
    details: { component: 'kubelet', minor: '1.26', nodeCount: 4, nodeGroups: ['ng-old'] },
    forSeconds: 0,
    runbookUrl: 'https://runbooks.example.com/KubeletVersionSkew.md',
  };
}

function crashLoop(): Finding {
  const subject = { kind: 'Deployment', namespace: 'shop', name: 'web' };
  return {
    ruleId: 'PodCrashLooping',
    severity: 'warning',
    subject,
    fingerprint: fingerprint(CLUSTER, 'PodCrashLooping', subject),
    summary: 'Deployment shop/web: 2 pods crash-loop; container web last exited with code 1.',
    details: { podCount: 2, containers: ['web'], restartsTotal: 7 },
    forSeconds: 0,
    runbookUrl: 'https://runbooks.example.com/PodCrashLooping.md',
  };
}

function blocked(blockers: number): Finding {
  const subject = { kind: 'ControlPlaneUpgrade', name: 'v1.31' };
  return {
    ruleId: 'NextUpgradeBlocked',
    severity: 'warning',
    subject,
    fingerprint: fingerprint(CLUSTER, 'NextUpgradeBlocked', subject),
    summary: `Upgrading the control plane to 1.31 is blocked by ${blockers} things.`,
    details: { targetMinor: '1.31', blockers: Array.from({ length: blockers }, (_, i) => i) },
    forSeconds: 0,
    runbookUrl: 'https://runbooks.example.com/NextUpgradeBlocked.md',
  };
}

const RULE_IDS = ['KubeletVersionSkew', 'PodCrashLooping', 'NextUpgradeBlocked'];
const evaluation = (findings: readonly Finding[]): Evaluation => evaluated(findings, RULE_IDS);

describe('a critical resolves while a new warning arrives', () => {
  it('names the resolved critical first in the subject and words it as the rule does', async () => {
    const [, second] = await runs(evaluation([kubeletSkew()]), evaluation([crashLoop()]));
    const digest = renderHuman(second!)!;
    expect(digest.subject).toBe(
      '[WARNING+RESOLVED] prod-eu: 1 new, 1 resolved - KubeletVersionSkew resolved, PodCrashLooping',
    );
    expect(digest.body).toContain(`== RESOLVED (1) ==

[CRITICAL] KubeletVersionSkew - Kubelet v1.26
  No kubelet on 1.26 is out of policy any more (was: 4 nodes on 1.26)
  Resolved:   2024-05-01T12:05:00.000Z (under 1m ago)
`);
    expect(digest.body).not.toContain('Upgrade node group ng-old');

    const resolved = second!.transitions.find((t) => t.kind === 'resolved')!;
    const machine = renderMachine(resolved, CLUSTER, second!.runAt).notification;
    expect(machine).toMatchObject({
      status: 'resolved',
      dedupKey: resolved.finding.fingerprint,
      summary: kubeletSkew().summary,
      resolvedSummary: 'No kubelet on 1.26 is out of policy any more (was: 4 nodes on 1.26)',
    });
    const chat = renderChat(second!).find(
      (m) => m.notification.metadata.eventType === 'skewguard.resolved',
    );
    expect(chat?.notification.content.description).toBe(
      '• `Kubelet v1.26` critical: No kubelet on 1.26 is out of policy any more (was: 4 nodes on 1.26) (resolved under 1m ago)',
    );
  });

  it('keeps a resolved critical in the subject behind many warnings, cutting warnings first', () => {
    const warnings = Array.from({ length: 12 }, (_, i) =>
      transition('firing', { ruleId: `WarningRuleNumber${i}`, severity: 'warning' }),
    );
    const critical = transition('resolved', { ruleId: 'KubeletVersionSkew', severity: 'critical' });
    const subject = digestSubject('prod-eu', [...warnings, critical]);
    expect(subject).toBe(
      '[WARNING+RESOLVED] prod-eu: 12 new, 1 resolved - KubeletVersionSkew resolved, ...',
    );
    expect(subject.length).toBeLessThanOrEqual(100);
  });

  it('drops the counts before a critical rule id when only that makes every critical fit', () => {
    const criticals = ['KubeletVersionSkew', 'ApiServerVersionSkew'].map((ruleId) =>
      transition('resolved', { ruleId, severity: 'critical' }),
    );
    const subject = digestSubject('prod-eu-west-1', [
      ...criticals,
      transition('firing', { ruleId: 'PodCrashLooping', severity: 'warning' }),
      transition('repeat', { ruleId: 'DaemonSetMisScheduled', severity: 'warning' }),
    ]);
    expect(subject).toBe(
      '[WARNING+RESOLVED] prod-eu-west-1 - KubeletVersionSkew resolved, ApiServerVersionSkew resolved, ...',
    );
  });
});

describe('a still-firing finding that changed materially', () => {
  it('is listed as changed, never as no change, and notified once per change', async () => {
    const [, second, third] = await runs(
      evaluation([blocked(2)]),
      evaluation([blocked(3)]),
      evaluation([blocked(3)]),
    );
    const changed = second!.transitions;
    expect(changed.map((t: Transition) => t.kind)).toEqual(['firing']);
    const digest = renderHuman(second!)!;
    expect(digest.subject).toBe('[WARNING] prod-eu: 1 changed - NextUpgradeBlocked');
    expect(digest.body)
      .toContain(`[WARNING] (changed) NextUpgradeBlocked - ControlPlaneUpgrade v1.31
  Upgrading the control plane to 1.31 is blocked by 3 things.`);
    expect(digest.body).not.toContain('NO CHANGE');
    expect(third!.transitions).toEqual([]);
  });

  it('stays quiet when only counts outside the rule’s materialKeys moved (restarts)', async () => {
    const more = {
      ...crashLoop(),
      summary: 'Deployment shop/web: 2 pods crash-loop; 30 restarts.',
    };
    const [, second] = await runs(evaluation([crashLoop()]), evaluation([more]));
    expect(second!.transitions).toEqual([]);
  });
});

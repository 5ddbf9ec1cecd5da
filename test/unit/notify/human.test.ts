import fc from 'fast-check';
import { digestSubject, renderHuman } from '../../../lib/notify/human';
import { MAX_SUBJECT_LENGTH, asciiLine, relativeAge } from '../../../lib/notify/text';
import { stillFiring } from '../../../lib/notify/publisher';
import { batch, bytes, finding, item, manyTransitions, transition } from './build';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

describe('renderHuman', () => {
  it('renders a small digest as plain text (the one exact-text test)', () => {
    const fire = transition('firing', {
      ruleId: 'KubeletVersionSkew',
      subject: { kind: 'Kubelet', name: 'v1.26' },
      summary:
        'Nodes a and b run kubelet 1.26, 4 minors behind the apiserver 1.30; the policy allows 3. Upgrade node group ng-old to at least 1.27.',
      since: '2024-05-01T08:40:00.000Z',
      details: { commands: ['kubectl get nodes -L eks.amazonaws.com/nodegroup -o wide'] },
    });
    const resolved = transition('resolved', { severity: 'warning' });
    const still = finding({
      ruleId: 'PodCrashLooping',
      severity: 'warning',
      subject: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
    });
    const message = renderHuman(
      batch([resolved, fire], [item(still, 'repeat', { firstSeen: '2024-04-28T09:00:00.000Z' })]),
    );
    expect(message?.subject).toBe(
      '[CRITICAL+RESOLVED] prod-eu: 1 new, 1 resolved - KubeletVersionSkew, DeploymentRolloutStuck resolved',
    );
    expect(message?.body)
      .toBe(`skewguard report for cluster prod-eu, run at 2024-05-01T12:00:00.000Z
Changes: 1 new or changed, 0 reminders, 1 resolved. Firing now: 2 (1 critical, 1 warning).

== FIRING (new or changed) (1) ==

[CRITICAL] KubeletVersionSkew - Kubelet v1.26
  Nodes a and b run kubelet 1.26, 4 minors behind the apiserver 1.30; the policy allows 3. Upgrade
  node group ng-old to at least 1.27.
  Since:      2024-05-01T08:40:00.000Z (3h 20m ago)
  Runbook:    https://runbooks.example.com/KubeletVersionSkew.md
  Commands:
    kubectl get nodes -L eks.amazonaws.com/nodegroup -o wide

== RESOLVED (1) ==

[WARNING] DeploymentRolloutStuck - Deployment shop/web
  Rollout of shop/web is no longer stuck
  Resolved:   2024-05-01T11:55:00.000Z (5m ago)
  First seen: 2024-05-01T08:30:00.000Z (3h 30m ago)
  Runbook:    https://runbooks.example.com/DeploymentRolloutStuck.md

== STILL FIRING, NO CHANGE (1) ==

1 warning.
Oldest: PodCrashLooping - Pod shop/web-1, since 2024-04-28T09:00:00.000Z (3d 3h ago).

- [WARNING] PodCrashLooping - Pod shop/web-1, since 3d 3h ago

--
Sent by skewguard for cluster prod-eu. Each change is also published as JSON with the message
attribute audience=machine; \`skewguard check\` shows the full evidence.
`);
  });

  it('says nothing when no transition is owed, even with findings still firing', () => {
    const still = item(finding(), 'repeat');
    expect(renderHuman(batch([], [still]))).toBeUndefined();
  });

  it('groups 200 transitions into one email far below 256 KB, counting the rest', () => {
    const message = renderHuman(batch(manyTransitions(200)));
    expect(message).toBeDefined();
    const body = message!.body;
    expect(bytes(body)).toBeLessThanOrEqual(64 * 1024);
    expect(message!.omitted).toBeGreaterThan(0);
    expect(body).toContain(`... and ${message!.omitted} more`);
    const shown = body.match(/^\[(CRITICAL|WARNING|INFO)\]/gm) ?? [];
    expect(shown.length + message!.omitted).toBe(200);
    expect(message!.carries).toHaveLength(200);
    expect(body).toContain('== FIRING (new or changed) (200) ==');
  });

  it('keeps to the byte budget when only bytes limit it, measuring UTF-8 not characters', () => {
    const wide = manyTransitions(300).map((t, i) => ({
      ...t,
      finding: {
        ...t.finding,
        summary: `東京クラスタ ${'デプロイが止まっています 😀 '.repeat(40)} ${i}`,
      },
    }));
    const message = renderHuman(batch(wide), { maxEntriesPerSection: 1000 });
    expect(bytes(message!.body)).toBeLessThanOrEqual(64 * 1024);
    expect(bytes(message!.body)).toBeGreaterThan(48 * 1024);
    expect(message!.body).toMatch(/\.\.\. and \d+ more/);
  });

  it('wraps summaries at 100 characters and never wraps a command', () => {
    const long = transition('firing', {
      summary: 'word '.repeat(200),
      details: { commands: [`kubectl -n shop get pods -l ${'x'.repeat(150)}=y -o wide`] },
    });
    const lines = renderHuman(batch([long]))!.body.split('\n');
    const commandLine = lines.find((l) => l.includes('kubectl -n shop get pods'));
    expect(commandLine?.trim()).toMatch(/^kubectl -n shop get pods -l x+=y -o wide$/);
    for (const line of lines.filter((l) => l !== commandLine)) {
      expect(line.length).toBeLessThanOrEqual(100);
    }
  });

  it('wraps a long heading (rule and subject) at the width', () => {
    const long = transition('firing', {
      ruleId: 'StatefulSetUpdateNotRolledOut',
      subject: { kind: 'StatefulSet', namespace: 'team-payments-europe', name: 'ledger-postgres' },
    });
    const lines = renderHuman(batch([long]), { width: 60 })!.body.split('\n');
    const at = lines.indexOf('[CRITICAL] StatefulSetUpdateNotRolledOut - StatefulSet');
    expect(lines[at + 1]).toBe('    team-payments-europe/ledger-postgres');
  });

  it('orders sections firing, reminders, resolved and puts the worst first within each', () => {
    const body = renderHuman(
      batch([
        transition('resolved', { ruleId: 'ResolvedRule' }),
        transition('repeat', { ruleId: 'RepeatRule' }),
        transition('firing', { ruleId: 'InfoRule', severity: 'info' }),
        transition('firing', { ruleId: 'CriticalRule', severity: 'critical' }),
      ]),
    )!.body;
    const at = (text: string): number => body.indexOf(text);
    expect(at('[CRITICAL] CriticalRule')).toBeLessThan(at('[INFO] InfoRule'));
    expect(at('[INFO] InfoRule')).toBeLessThan(at('REMINDER: STILL FIRING (1)'));
    expect(at('RepeatRule')).toBeLessThan(at('== RESOLVED (1) =='));
    expect(at('== RESOLVED (1) ==')).toBeLessThan(at('ResolvedRule'));
  });

  it('marks a severity change on a finding people were told about', () => {
    const f = finding({ severity: 'critical' });
    const changed = {
      kind: 'firing' as const,
      finding: f,
      item: item(f, 'firing', {
        notifiedStatus: 'firing',
        notifiedSeverity: 'warning',
        lastNotified: '2024-05-01T06:00:00.000Z',
      }),
    };
    expect(renderHuman(batch([changed]))!.body).toContain(
      '[CRITICAL] (was WARNING) DeploymentRolloutStuck',
    );
  });

  it('routes with every severity it reports and carries a ruleId only for a single rule', () => {
    const resolvedCritical = transition('resolved', { ruleId: 'A', severity: 'critical' });
    const firingInfo = transition('firing', { ruleId: 'B', severity: 'info' });
    const mixed = renderHuman(batch([resolvedCritical, firingInfo]))!;
    expect(mixed.attributes).toEqual({
      audience: 'human',
      severity: ['critical', 'info'],
      cluster: 'prod-eu',
      status: 'changed',
    });
    expect(mixed.subject.startsWith('[INFO+RESOLVED] ')).toBe(true);
    const single = renderHuman(batch([firingInfo]))!;
    expect(single.attributes).toMatchObject({ ruleId: 'B', severity: 'info' });
  });

  it('tags an all-resolved digest [RESOLVED]', () => {
    const subject = renderHuman(batch([transition('resolved')]))!.subject;
    expect(subject).toBe('[RESOLVED] prod-eu: 1 resolved - DeploymentRolloutStuck');
  });

  it('drops still-firing items that this run notifies anyway', () => {
    const t = transition('repeat');
    const body = renderHuman(batch([t], [t.item]))!.body;
    expect(body).not.toContain('STILL FIRING, NO CHANGE');
  });
});

describe('digestSubject', () => {
  it('stays ASCII, single-line and ≤ 100 characters for unicode clusters and 200 rule ids', () => {
    const transitions = Array.from({ length: 200 }, (_, i) =>
      transition(i % 2 === 0 ? 'firing' : 'resolved', {
        ruleId: `VeryLongRuleIdentifierNumber${i}WithÜmlaut`,
        subject: { kind: 'Pod', name: `p${i}` },
      }),
    );
    const subject = digestSubject('prod-東京-😀\nzweite Zeile\tñ', transitions);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(PRINTABLE_ASCII);
    expect(subject).toMatch(
      /^\[CRITICAL\+RESOLVED\] prod-\?-\? zweite Zeile n: 100 new, 100 resolved - /,
    );
    expect(subject.endsWith('...')).toBe(true);
  });

  it('holds for any cluster name and rule ids (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }), {
          minLength: 1,
          maxLength: 200,
        }),
        (cluster, ruleIds) => {
          const subject = digestSubject(
            cluster,
            ruleIds.map((ruleId) => transition('firing', { ruleId })),
          );
          expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
          expect(subject).toMatch(PRINTABLE_ASCII);
          expect(subject.startsWith('[')).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('asciiLine', () => {
  it.each([
    ['Zürich-prod', 'Zurich-prod'],
    ['línea\nnueva\r\n\ttab', 'linea nueva tab'],
    ['東京', '?'],
    ['a😀b', 'a?b'],
    ['  spaced  ', 'spaced'],
  ])('%j → %j', (input, expected) => {
    expect(asciiLine(input)).toBe(expected);
  });
});

describe('relativeAge', () => {
  it.each([
    ['2024-05-01T08:40:00Z', '3h 20m ago'],
    ['2024-05-01T11:59:30Z', 'under 1m ago'],
    ['2024-05-01T11:55:00Z', '5m ago'],
    ['2024-05-01T09:00:00Z', '3h ago'],
    ['2024-04-28T09:00:00Z', '3d 3h ago'],
    ['2024-04-24T12:00:00Z', '7d ago'],
    ['2024-05-01T12:05:00Z', 'in 5m'],
    ['not a date', undefined],
  ])('%s before 12:00 → %s', (at, expected) => {
    expect(relativeAge(at, '2024-05-01T12:00:00Z')).toBe(expected);
  });
});

describe('stillFiring', () => {
  it('keeps firing items people were told about and that this run does not notify', () => {
    const notified = item(finding({ ruleId: 'A' }), 'repeat');
    const neverNotified = item(finding({ ruleId: 'B' }), 'firing');
    const resolved = item(finding({ ruleId: 'C' }), 'resolved');
    const owed = transition('repeat', { ruleId: 'D' });
    expect(stillFiring([notified, neverNotified, resolved, owed.item], [owed])).toEqual([notified]);
  });
});

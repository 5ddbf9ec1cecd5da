/** The terminal report `skewguard check` prints: its exact text, headline, colour and width. */
import { join } from 'node:path';
import type { CheckReport, ReportedFinding } from '../../../lib/cli/report';
import { terminalStyle } from '../../../lib/cli/terminal';
import { headline, renderTerminalReport } from '../../../lib/cli/terminal-report';
import { runCli } from '../../../lib/cli/main';
import type { TerminalInfo } from '../../../lib/cli/terminal';
import type { FindingSpec } from '../notify/build';
import { CLUSTER, finding, RUN_AT } from '../notify/build';
import { NOW } from '../../support/evaluate';
import { incidentKey } from '../../../lib/rules';

const DEMO = join(__dirname, '../../../examples/demo-cluster');

function reported(status: ReportedFinding['status'], spec: FindingSpec): ReportedFinding {
  const f = finding(spec);
  return { ...f, status, incident: incidentKey(CLUSTER, f) };
}

function report(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    cluster: CLUSTER,
    collectedAt: RUN_AT,
    sources: [
      { source: 'files', status: 'ok' },
      { source: 'prometheus', status: 'failed', kind: 'timeout', reason: 'no answer in 10s' },
    ],
    findings: [
      reported('pending', {
        ruleId: 'DeploymentGenerationMismatch',
        severity: 'warning',
        subject: { kind: 'Deployment', namespace: 'app', name: 'gen' },
        since: '2024-05-01T11:55:00.000Z',
      }),
      reported('firing', {
        ruleId: 'DeploymentRolloutStuck',
        subject: { kind: 'Deployment', namespace: 'app', name: 'stuck' },
        summary: 'Rollout of app/stuck is stuck.',
        details: { commands: ['kubectl -n app rollout status deployment/stuck --watch=false'] },
      }),
    ],
    coverage: [
      { ruleId: 'DeploymentRolloutStuck', status: 'evaluated' },
      { ruleId: 'DeploymentGenerationMismatch', status: 'evaluated' },
      { ruleId: 'KubeletVersionSkew', status: 'disabled' },
      {
        ruleId: 'PodCrashLooping',
        status: 'skipped',
        reason: 'pods missing: no pods in the input',
      },
    ],
    notes: ['node status.nodeInfo.kubeProxyVersion is ignored: it is deprecated.'],
    ...overrides,
  };
}

/** Runs the CLI in-process as if stdout were `terminal`. */
async function cliOn(terminal: TerminalInfo, ...argv: string[]): Promise<string> {
  let stdout = '';
  await runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => undefined,
    now: () => NOW,
    terminal,
  });
  return stdout;
}

describe('renderTerminalReport', () => {
  it('prints a headline, firing then pending findings with their evidence, coverage and notes', () => {
    expect(renderTerminalReport(report())).toBe(
      [
        'skewguard · cluster prod-eu · as of 2024-05-01T12:00:00.000Z · files ok,',
        '  prometheus failed',
        '1 firing (1 critical) · 1 pending (for 10m) · 2 of 3 rules checked, 1 not',
        '  checked',
        '',
        'FIRING (1)',
        '',
        '[CRITICAL] DeploymentRolloutStuck - Deployment app/stuck',
        '  Rollout of app/stuck is stuck.',
        '  Runbook:  https://runbooks.example.com/DeploymentRolloutStuck.md',
        '  Explain:  skewguard explain DeploymentRolloutStuck',
        '  Commands:',
        '    kubectl -n app rollout status deployment/stuck --watch=false',
        '',
        'PENDING (1): holding now; each fires once held for its `for`',
        '',
        '[WARNING] DeploymentGenerationMismatch - Deployment app/gen',
        '  Deployment gen is stuck rolling out.',
        '  Since:    2024-05-01T11:55:00.000Z (5m ago)',
        '  Fires:    once held for 10m',
        '  Runbook:  https://runbooks.example.com/DeploymentGenerationMismatch.md',
        '  Explain:  skewguard explain DeploymentGenerationMismatch',
        '',
        'Coverage: 2 of 3 rules checked; 1 not checked (not passed):',
        '  pods missing: no pods in the input (PodCrashLooping)',
        'Source prometheus failed (timeout): no answer in 10s',
        'Note: node status.nodeInfo.kubeProxyVersion is ignored: it is deprecated.',
        '',
      ].join('\n'),
    );
  });

  it('says "No findings." with how many rules were not checked, never alone', () => {
    const text = renderTerminalReport(report({ findings: [], notes: [], sources: [] }));
    expect(text).toBe(
      [
        'skewguard · cluster prod-eu · as of 2024-05-01T12:00:00.000Z',
        '0 firing · 0 pending · 2 of 3 rules checked, 1 not checked',
        '',
        'No findings. 1 of 3 rules were not checked, so this is not an all-clear (see',
        'below).',
        '',
        'Coverage: 2 of 3 rules checked; 1 not checked (not passed):',
        '  pods missing: no pods in the input (PodCrashLooping)',
        '',
      ].join('\n'),
    );
    const clean = report({
      findings: [],
      coverage: [{ ruleId: 'PodCrashLooping', status: 'evaluated' }],
    });
    expect(renderTerminalReport(clean)).toContain(
      '\nNo findings.\n\nCoverage: 1 of 1 rules checked\n',
    );
  });

  it('lists each distinct `for` the pending findings wait on, shortest first', () => {
    const pending = [
      { ...reported('pending', {}), forSeconds: 86_400 },
      { ...reported('pending', {}), forSeconds: 600 },
      reported('pending', {}),
    ];
    expect(headline(report(), [], pending)).toBe(
      '0 firing · 3 pending (for 10m, 24h) · 2 of 3 rules checked, 1 not checked',
    );
  });

  it('wraps at the terminal width and colours severities after wrapping', () => {
    const style = terminalStyle({ isTTY: true, columns: 60, env: {} });
    const text = renderTerminalReport(report(), style);
    expect(text).toContain('\x1b[1m\x1b[31m[CRITICAL]\x1b[39m\x1b[22m DeploymentRolloutStuck');
    expect(text).toContain('\x1b[33m[WARNING]\x1b[39m DeploymentGenerationMismatch');
    // eslint-disable-next-line no-control-regex
    const plain = text.replace(/\x1b\[\d+m/g, '').split('\n');
    for (const line of plain.filter((l) => !/https:|kubectl/.test(l)))
      expect(line.length).toBeLessThanOrEqual(60);
  });
});

describe('skewguard check on a terminal', () => {
  it('prints the report, not the email', async () => {
    const out = await cliOn({}, 'check', '--from-file', DEMO, '--fail-on', 'never');
    for (const emailWord of ['Subject:', 'reminders', 'new or changed', 'Sent by skewguard'])
      expect(out).not.toContain(emailWord);
    expect(out).not.toContain('`skewguard check` shows');
    expect(out).toMatch(
      /^skewguard · cluster demo-cluster · .+ · files ok\n6 firing \(3 critical, 3 warning\) · 3 pending \(for 15m, 24h\) · 22 of 31 rules\n {2}checked, 9 not checked\n\nFIRING \(6\)\n/,
    );
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/\x1b\[/);
  });

  it('colours on a TTY and with FORCE_COLOR, not with NO_COLOR', async () => {
    const argv = ['check', '--from-file', DEMO, '--fail-on', 'never'];
    expect(await cliOn({ isTTY: true, columns: 100, env: {} }, ...argv)).toContain('\x1b[31m');
    expect(await cliOn({ env: { FORCE_COLOR: '1' } }, ...argv)).toContain('\x1b[31m');
    expect(await cliOn({ isTTY: true, env: { NO_COLOR: '1' } }, ...argv)).not.toContain('\x1b[');
  });

  it('wraps at COLUMNS', async () => {
    const out = await cliOn({ env: { COLUMNS: '100' } }, 'check', '--from-file', DEMO);
    expect(out).toContain(
      '6 firing (3 critical, 3 warning) · 3 pending (for 15m, 24h) · 22 of 31 rules checked, 9 not checked\n',
    );
  });

  it('--output json is not styled, whatever the terminal', async () => {
    const out = await cliOn(
      { isTTY: true, env: { FORCE_COLOR: '1' } },
      'check',
      '--from-file',
      DEMO,
      '-o',
      'json',
    );
    expect(() => {
      JSON.parse(out);
    }).not.toThrow();
  });

  it('explain styles the runbook on a TTY and prints markdown in a pipe', async () => {
    const tty = await cliOn({ isTTY: true, env: {} }, 'explain', 'KubeletVersionSkew');
    expect(tty.startsWith('\x1b[1m\x1b[4mKubeletVersionSkew\x1b[24m\x1b[22m\n')).toBe(true);
    const piped = await cliOn({ isTTY: false, env: {} }, 'explain', 'KubeletVersionSkew');
    expect(piped.startsWith('# KubeletVersionSkew\n')).toBe(true);
  });
});

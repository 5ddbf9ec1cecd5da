/**
 * `skewguard plan` end to end: golden outputs of the demo cluster to 1.33 and a kubeadm HA
 * control plane mid-upgrade in every format, refused targets, exit codes and the 80-column table.
 * `UPDATE_GOLDEN=1 npx jest test/unit/cli/plan.test.ts` rewrites the goldens after a deliberate change.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../support/cli';
import { clusterDocuments } from '../../support/kube-objects';

const REPO = join(__dirname, '../../..');
const GOLDEN = join(REPO, 'test/fixtures/plan');
const DEMO = ['--from-file', join(REPO, 'examples/demo-cluster'), '--cluster', 'demo-eks'];

/** Compares `text` with the golden file, or rewrites it under UPDATE_GOLDEN=1. */
function expectGolden(name: string, text: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

/** Display width of a line (code points, so `→` counts as one column). */
const columns = (line: string): number => [...line].length;

describe('the demo cluster to 1.33', () => {
  it.each([
    ['table', 'demo-eks-to-1.33.txt'],
    ['markdown', 'demo-eks-to-1.33.md'],
    ['json', 'demo-eks-to-1.33.json'],
  ])('prints the %s golden and exits 1: ng-old blocks the first hop', async (format, golden) => {
    const run = await cli('plan', ...DEMO, '--to', '1.33', '-o', format);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expectGolden(golden, run.stdout);
  });

  it('takes three hops with kube-proxy moved before the first, and JSON says it is blocked', async () => {
    const run = await cli('plan', ...DEMO, '--to', '1.33', '-o', 'json');
    const plan = JSON.parse(run.stdout) as {
      version: number;
      blocked: boolean;
      hops: { from: string; to: string; steps: { component: string; targets: string[] }[] }[];
    };
    expect(plan.version).toBe(1);
    expect(plan.blocked).toBe(true);
    expect(plan.hops.map((h) => `${h.from}→${h.to}`)).toEqual([
      '1.30→1.31',
      '1.31→1.32',
      '1.32→1.33',
    ]);
    const first = plan.hops[0]!.steps.map((s) => `${s.component} ${s.targets.join(',')}`);
    expect(first.indexOf('kube-proxy kube-proxy')).toBeLessThan(
      first.indexOf('kube-apiserver control plane'),
    );
    expect(first.indexOf('kubelet ng-old')).toBeLessThan(first.indexOf('kube-proxy kube-proxy'));
  });

  it.each(['demo-eks-to-1.33.txt', 'kubeadm-ha-to-1.36.txt'])(
    'keeps the %s table within 80 columns; only an unbreakable shell word may run over',
    (golden) => {
      const lines = readFileSync(join(GOLDEN, golden), 'utf8').split('\n');
      const over = lines.filter((l) => columns(l) > 80);
      for (const line of over) expect(line).toMatch(/^ {11}--query '[^ ]+( \| \[0\])?' \\$/);
    },
  );

  it('continues long commands with a backslash before a flag, so they paste as one command', async () => {
    const run = await cli('plan', ...DEMO, '--to', '1.33');
    expect(run.stdout).toContain(
      '       $ aws eks update-nodegroup-version --cluster-name demo-eks \\\n           --nodegroup-name ng-old --kubernetes-version 1.30\n',
    );
  });

  it('without --to plans the next minor and names the newest one the calendar has', async () => {
    const run = await cli('plan', ...DEMO, '-o', 'json');
    const plan = JSON.parse(run.stdout) as { to: string; hops: unknown[]; notes: string[] };
    expect(plan.to).toBe('1.31');
    expect(plan.hops).toHaveLength(1);
    expect(plan.notes.join('\n')).toMatch(
      /this plans the next minor only; the newest EKS minor in skewguard's calendar is 1\.\d+/,
    );
  });
});

describe('a kubeadm HA control plane mid-upgrade', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skewguard-plan-'));
    const documents = clusterDocuments({
      apiservers: { 'cp-1': 'v1.35.2', 'cp-2': 'v1.34.6', 'cp-3': 'v1.34.6' },
      controllerManagers: { 'cp-1': 'v1.34.6', 'cp-2': 'v1.34.6', 'cp-3': 'v1.34.6' },
      schedulers: { 'cp-1': 'v1.34.6', 'cp-2': 'v1.34.6', 'cp-3': 'v1.34.6' },
      etcd: { 'cp-1': '3.5.21-0', 'cp-2': '3.5.21-0', 'cp-3': '3.5.21-0' },
      kubelets: { 'cp-1': 'v1.34.6', 'w-1': 'v1.34.6' },
    });
    documents.forEach((d, i) => writeFileSync(join(dir, `${i}.json`), JSON.stringify(d)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['table', 'kubeadm-ha-to-1.36.txt'],
    ['markdown', 'kubeadm-ha-to-1.36.md'],
  ])(
    'finishes the apiservers first (%s golden), then etcd 3.6 and the controllers',
    async (format, golden) => {
      const run = await cli(
        'plan',
        '--from-file',
        dir,
        '--cluster',
        'ha',
        '--to',
        '1.36',
        '-o',
        format,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      expectGolden(golden, run.stdout);
    },
  );
});

describe('refused targets and usage errors exit 2 with the reason on stderr', () => {
  it('refuses a target below the cluster', async () => {
    const run = await cli('plan', ...DEMO, '--to', '1.29');
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "skewguard: no plan for demo-eks: the target 1.29 is below the cluster's kube-apiserver 1.30: Kubernetes does not support downgrades; plan to 1.31 or newer\n",
    });
  });

  it('refuses a target beyond the data rather than guessing', async () => {
    const run = await cli('plan', ...DEMO, '--to', 'v1.45');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^skewguard: no plan for demo-eks: 1\.45 is newer than any minor skewguard's data knows \(up to 1\.\d+\): .*so no plan is guessed/,
    );
  });

  it('names a --to that is not a minor and how to write one', async () => {
    const run = await cli('plan', ...DEMO, '--to', 'latest');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'skewguard: --to "latest" is not a Kubernetes minor; pass one like --to 1.34 (v1.34 and 34 work too)\n',
    );
  });

  it('answers a bare minor with the flag it needs', async () => {
    const run = await cli('plan', ...DEMO, '1.33');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pass the target with --to 1.33');
  });

  it('refuses a plan with no kube-apiserver version, saying what to add', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-plan-'));
    try {
      const nodes = clusterDocuments({ kubelets: { a: 'v1.33.1' } }).filter(
        (d) => (d as { kind?: string }).kind !== 'Version' && !('serverVersion' in (d as object)),
      );
      writeFileSync(join(dir, 'nodes.json'), JSON.stringify(nodes[0]));
      const run = await cli('plan', '--from-file', dir, '--cluster', 'x');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('no kube-apiserver version was read');
      expect(run.stderr).toContain('kubectl version -o json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a clear path exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-plan-'));
    try {
      const documents = clusterDocuments({ serverVersion: 'v1.35.2', kubelets: { a: 'v1.35.2' } });
      documents.forEach((d, i) => writeFileSync(join(dir, `${i}.json`), JSON.stringify(d)));
      const run = await cli(
        'plan',
        '--from-file',
        dir,
        '--cluster',
        'x',
        '--to',
        '1.36',
        '-o',
        'json',
      );
      expect(JSON.parse(run.stdout)).toMatchObject({ blocked: false, from: '1.35', to: '1.36' });
      expect(run.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the README's plan examples are the real output", () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Plan an upgrade'), readme.indexOf('## Rules'));

  it('shows the start of the demo table golden', () => {
    const block = /```\n(Upgrade plan for[\s\S]*?)\n\[…/.exec(section)?.[1];
    expect(block).toBeDefined();
    expect(readFileSync(join(GOLDEN, 'demo-eks-to-1.33.txt'), 'utf8')).toContain(block);
  });

  it('shows lines of the demo markdown golden', () => {
    const block = /```markdown\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const golden = readFileSync(join(GOLDEN, 'demo-eks-to-1.33.md'), 'utf8').split('\n');
    for (const line of (block ?? '').split('\n').filter((l) => l !== ''))
      expect(golden).toContain(line);
  });
});

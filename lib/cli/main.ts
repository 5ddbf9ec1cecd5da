import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { collectFromFiles } from '../collect/files';
import { SourceError } from '../collect/errors';
import { renderJson, renderMarkdown, renderTable, toReport } from '../notify/report';
import { DEFAULT_POLICY, evaluate, findRule, RULES, severityRank } from '../rules';
import type { ClusterSnapshot, Severity } from '../rules';
import type * as KubeConnectModuleNs from '../collect/kube-connect';
import type * as KubernetesModuleNs from '../collect/kubernetes';
import type * as SaveModuleNs from '../collect/save';

type KubeConnectModule = typeof KubeConnectModuleNs;
type KubernetesModule = typeof KubernetesModuleNs;
type SaveModule = typeof SaveModuleNs;
import { formatDuration } from '../rules';

/** Where the CLI writes; tests pass buffers. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The clock, read once per check. */
  readonly now: () => number;
  /** Progress lines during long live reads (set by the CLI on a TTY only). */
  readonly progress?: (message: string) => void;
}

/** Exit codes of ARCHITECTURE.md: 0 clean, 1 findings at/above --fail-on, 2 usage or input error. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

const ROOT = join(__dirname, '..', '..');

/** A usage problem the user fixes by changing the command line. */
class UsageError extends Error {}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('skewguard')
    .description(
      'Version-skew and rollout checks for Kubernetes clusters, from outside the cluster.',
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run `skewguard --help` for usage)');

  program
    .command('check')
    .description('collect a snapshot, evaluate every rule and print the findings')
    .option(
      '--from-file <file>',
      'kubectl get … -o json|yaml or kubectl version -o json output; a folder, or - for stdin (repeatable)',
      collect,
      [],
    )
    .option('--context <name>', 'kube context to read live (default: the current context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option(
      '--save-snapshot <file>',
      'write the objects read live as JSON that --from-file replays',
    )
    .option(
      '--cluster <name>',
      'cluster name in output and fingerprints (default: the kube context or input file name)',
    )
    .addOption(
      new Option('--output <format>', 'output format')
        .choices(['table', 'json', 'markdown'])
        .default('table'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices(['critical', 'warning', 'info', 'never'])
        .default('critical'),
    )
    .action(
      async (opts: { fromFile: string[]; cluster?: string; output: string; failOn: string }) => {
        exitCode = await check(opts, io);
      },
    );

  program
    .command('rules')
    .description('list the rule catalogue: id, severity, default for, what it needs')
    .action(() => {
      io.stdout(renderRules());
    });

  program
    .command('explain')
    .description('print the runbook of one rule')
    .argument('<ruleId>', 'a rule id, e.g. KubeletVersionSkew (see `skewguard rules`)')
    .action(async (ruleId: string) => {
      io.stdout(await explain(ruleId));
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0 through the same path.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (error instanceof SourceError || error instanceof UsageError) {
      io.stderr(`skewguard: ${error.message}\n`);
      return EXIT.error;
    }
    io.stderr(
      `skewguard: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.error;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Options of `skewguard check`. */
interface CheckOptions {
  readonly fromFile: string[];
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly saveSnapshot?: string;
  readonly cluster?: string;
  readonly output: string;
  readonly failOn: string;
}

async function check(opts: CheckOptions, io: CliIo): Promise<number> {
  const live = opts.fromFile.length === 0;
  if (!live && (opts.context !== undefined || opts.kubeconfig !== undefined)) {
    throw new UsageError(
      '--from-file reads saved output; drop --context/--kubeconfig, or drop --from-file to read the live cluster',
    );
  }
  if (!live && opts.saveSnapshot !== undefined) {
    throw new UsageError(
      '--save-snapshot saves what a live read collected; it cannot be combined with --from-file',
    );
  }
  const now = io.now();
  const snapshot = live
    ? await collectLive(opts, io)
    : await collectFromFiles(opts.fromFile, {
        collectedAt: new Date(now).toISOString(),
        ...(opts.cluster !== undefined ? { cluster: opts.cluster } : {}),
      });
  const report = toReport(snapshot, evaluate(snapshot, DEFAULT_POLICY, now), now);
  const render =
    opts.output === 'json' ? renderJson : opts.output === 'markdown' ? renderMarkdown : renderTable;
  io.stdout(render(report));
  if (opts.failOn === 'never') return EXIT.ok;
  const threshold = severityRank(opts.failOn as Severity);
  // Pending findings have not held for their `for` yet: they do not fail the run.
  return report.findings.some((f) => f.status === 'firing' && severityRank(f.severity) >= threshold)
    ? EXIT.findings
    : EXIT.ok;
}

/** Reads the live cluster of a kube context; the heavy client is loaded only here. */
async function collectLive(opts: CheckOptions, io: CliIo): Promise<ClusterSnapshot> {
  // Loaded on demand: @kubernetes/client-node costs seconds to load and --from-file never needs it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { connect } = require('../collect/kube-connect') as KubeConnectModule;
  const { collectFromKubernetes } = require('../collect/kubernetes') as KubernetesModule;
  const { saveSnapshot } = require('../collect/save') as SaveModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const target = await connect({
    kind: 'kubeconfig',
    ...(opts.kubeconfig !== undefined ? { file: opts.kubeconfig } : {}),
    ...(opts.context !== undefined ? { context: opts.context } : {}),
  });
  const progress = io.progress;
  const collection = await collectFromKubernetes({
    cluster: opts.cluster ?? target.name,
    target,
    collectedAt: () => new Date(io.now()).toISOString(),
    ...(progress ? { onProgress: progress } : {}),
  });
  target.agent.destroy();
  if (opts.saveSnapshot !== undefined) await saveSnapshot(opts.saveSnapshot, collection.objects);
  return collection.snapshot;
}

/** The catalogue as an aligned text table. */
export function renderRules(): string {
  const rows = RULES.map((r) => [
    r.id,
    r.severity,
    r.forRuns !== undefined ? `${r.forRuns} runs` : formatDuration(r.forSeconds),
    r.needs.join(', ') || '-',
  ]);
  const header = ['RULE', 'SEVERITY', 'FOR', 'NEEDS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

async function explain(ruleId: string): Promise<string> {
  const rule = findRule(ruleId) ?? RULES.find((r) => r.id.toLowerCase() === ruleId.toLowerCase());
  if (!rule) {
    throw new UsageError(
      `unknown rule "${ruleId}"; run \`skewguard rules\` for the ids (e.g. ${RULES.slice(0, 3)
        .map((r) => r.id)
        .join(', ')})`,
    );
  }
  const path = join(ROOT, 'docs', 'runbooks', rule.runbook);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `the runbook for ${rule.id} is missing at ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); reinstall skewguard`,
    );
  }
}

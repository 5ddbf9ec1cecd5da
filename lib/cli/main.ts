/** The CLI on commander: `check`, `plan`, `notify-test`, `silence`, `rules` and `explain`, errors as exit codes. */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
// Single modules, not the folders' indexes, and check/plan loaded by their commands: yaml, zod
// and the AWS SDK then load only for the command that reads input, so --version stays quick.
import { SourceError } from '../collect/errors';
import { ConfigError } from '../config/errors';
import { findRule, formatDuration, RULES } from '../rules';
import type * as CheckModuleNs from './check';
import type { CheckOptions, CliIo } from './check';
import type * as ConfigModuleNs from '../config';
import { EXIT, UsageError } from './exit';
import { examples, oneOf, withSourceOptions } from './options';
import type * as NotifyTestModuleNs from './notify-test';
import type { NotifyTestOptions } from './notify-test';
import type * as PlanModuleNs from './plan';
import type * as SilenceModuleNs from './silence';
import type { AddOptions, ExpireOptions, ListOptions } from './silence';
import type { PlanCliOptions } from './plan';
import { renderMarkdownForTerminal } from './markdown';
import { terminalStyle } from './terminal';

export type { CliIo } from './check';
export { EXIT } from './exit';

/**
 * The package root (package.json, docs/runbooks): the nearest folder up with a package.json, so
 * the TypeScript in lib/cli and the bundle in dist/ both find it.
 */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(__dirname, '..', '..');
  }
}

const ROOT = packageRoot(__dirname);

/* eslint-disable @typescript-eslint/no-require-imports */
// require, not import(): tsx's CommonJS hook would hand import() to Node's ESM loader, which
// resolves no .ts file; a literal require is also what the esbuild bundle inlines.
const checkModule = (): typeof CheckModuleNs => require('./check') as typeof CheckModuleNs;
const planModule = (): typeof PlanModuleNs => require('./plan') as typeof PlanModuleNs;
const notifyTestModule = (): typeof NotifyTestModuleNs =>
  require('./notify-test') as typeof NotifyTestModuleNs;
const silenceModule = (): typeof SilenceModuleNs => require('./silence') as typeof SilenceModuleNs;
// The config index (zod) only for an unknown rule id: the hint shares the config's wording.
const configModule = (): typeof ConfigModuleNs => require('../config') as typeof ConfigModuleNs;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The installed version, for `skewguard --version` and bug reports. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('skewguard')
    .description(
      'Version-skew and rollout checks for Kubernetes clusters, from outside the cluster.',
    )
    .version(packageVersion(), '--version', 'print the skewguard version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run `skewguard --help` for usage)')
    .addHelpText('after', TOP_EXAMPLES);

  withSourceOptions(
    program
      .command('check')
      .showHelpAfterError('(run `skewguard check --help` for usage)')
      .description('collect a snapshot, evaluate every rule and print the findings'),
  )
    .addOption(
      oneOf(new Option('-o, --output <format>', 'output format').default('table'), OUTPUTS),
    )
    .addOption(
      oneOf(
        new Option(
          '--fail-on <severity>',
          'exit 1 when a firing finding is at or above this severity',
        ).default('critical'),
        FAIL_ON,
      ),
    )
    .option(
      '--fail-on-skipped',
      'exit 3 when a rule was not checked because an input was missing or a read failed',
    )
    .option('--fail-on-pending', 'pending findings at or above --fail-on count for the exit code')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes:',
        '  0  no finding at or above --fail-on',
        '  1  a firing finding (with --fail-on-pending, also a pending one) at or above --fail-on',
        '  2  usage or input error, or every source failed',
        '  3  with --fail-on-skipped: rules not checked for a missing input or a failed read',
        '',
        'Examples:',
        '  skewguard check --from-file ./cluster-dump/',
        '  skewguard check --context prod-eu -o markdown',
        '  skewguard check --prometheus-url http://prometheus:9090 --prometheus-selector \'cluster="prod"\'',
        '  skewguard check --from-file nodes.json --fail-on warning --fail-on-skipped',
        '  skewguard check --context prod-eu --manifests ./rendered/',
      ].join('\n'),
    )
    // Extra words are accepted only to answer a bare file name with the flag it needs, not
    // commander's "too many"; declaring them as an argument would show a placeholder in --help.
    .allowExcessArguments()
    .action(async (opts: CheckOptions, command: Command) => {
      const unexpected = command.args;
      if (unexpected.length > 0) {
        throw new UsageError(
          `unexpected argument ${JSON.stringify(unexpected[0])}: pass input files with --from-file ${unexpected[0] ?? ''} (repeatable), or a live cluster with --context; run \`skewguard check --help\` for usage`,
        );
      }
      exitCode = await checkModule().check(opts, io);
    });

  withSourceOptions(
    program
      .command('plan')
      .showHelpAfterError('(run `skewguard plan --help` for usage)')
      .description(
        'plan the upgrade to a target minor, one control-plane minor at a time, with what blocks each hop',
      ),
  )
    .option('--to <minor>', 'the target minor, e.g. 1.34 (default: the next minor)')
    .addOption(
      oneOf(new Option('-o, --output <format>', 'output format').default('table'), PLAN_OUTPUTS),
    )
    .addHelpText(
      'after',
      [
        '',
        'Exit codes:',
        '  0  the path is clear: no hop has a blocker',
        '  1  a hop is blocked (the steps marked "first" clear it)',
        '  2  usage or input error, every source failed, or no plan to that target',
        '',
        'Examples:',
        '  skewguard plan --from-file ./cluster-dump/ --to 1.33',
        '  skewguard plan --context prod-eu --to 1.34 -o markdown > upgrade-ticket.md',
        '  skewguard plan --context prod-eu -o json | jq .blocked',
      ].join('\n'),
    )
    .allowExcessArguments()
    .action(async (opts: PlanCliOptions, command: Command) => {
      const unexpected = command.args;
      if (unexpected.length > 0) {
        throw new UsageError(
          `unexpected argument ${JSON.stringify(unexpected[0])}: pass the target with --to ${unexpected[0] ?? ''}, input files with --from-file; run \`skewguard plan --help\` for usage`,
        );
      }
      exitCode = await planModule().plan(opts, io);
    });

  program
    .command('notify-test')
    .description(
      'publish one labelled test message per audience (email, chat, pager) through the deployed topic',
    )
    .showHelpAfterError('(run `skewguard notify-test --help` for usage)')
    .option('--topic-arn <arn>', "the stack's TopicArn output")
    .option('--cluster <name>', 'the cluster name the messages carry', 'notification-test')
    .addHelpText(
      'after',
      [
        '',
        'The pager receives a firing page and, at once, its resolution (same dedup key), so the',
        'test incident closes by itself. AWS credentials come from the default chain (AWS_PROFILE,',
        'SSO, environment); the caller needs sns:Publish on the topic and kms:GenerateDataKey and',
        "kms:Decrypt on its key. Subscriptions that filter on a cluster need that cluster's name.",
        '',
        'Exit codes:',
        '  0  SNS took every test message',
        '  2  usage error, or SNS refused a message (the cause and the fix on stderr)',
        '',
        'Examples:',
        '  skewguard notify-test --topic-arn arn:aws:sns:eu-central-1:123456789012:skewguard',
        '  skewguard notify-test --topic-arn "$(aws cloudformation describe-stacks --stack-name Skewguard \\',
        '      --query "Stacks[0].Outputs[?OutputKey==\'TopicArn\'].OutputValue" --output text)" --cluster prod-eu',
      ].join('\n'),
    )
    .action(async (opts: NotifyTestOptions) => {
      exitCode = await notifyTestModule().notifyTest(opts, io);
    });

  program
    .command('rules')
    .description('list the rule catalogue: id, severity, default for, what it needs')
    .showHelpAfterError('(run `skewguard rules --help` for usage)')
    .addHelpText('after', examples(['skewguard rules', 'skewguard rules | grep DaemonSet']))
    .action(() => {
      io.stdout(renderRules());
    });

  program
    .command('explain')
    .description('print the runbook of one rule')
    .showHelpAfterError('(run `skewguard explain --help` for usage)')
    .addHelpText(
      'after',
      examples(['skewguard explain KubeletVersionSkew', 'skewguard explain podcrashlooping']),
    )
    .argument('<ruleId>', 'a rule id, e.g. KubeletVersionSkew (see `skewguard rules`)')
    .action(async (ruleId: string) => {
      io.stdout(renderMarkdownForTerminal(await explain(ruleId), terminalStyle(io.terminal)));
    });

  addSilenceCommands(program, io);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0 through the same path.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (
      error instanceof SourceError ||
      error instanceof UsageError ||
      error instanceof ConfigError
    ) {
      io.stderr(`skewguard: ${error.message}\n`);
      return EXIT.error;
    }
    io.stderr(
      `skewguard: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.error;
  }
}

/** `silence add|list|expire`, against the deployed ledger table. */
function addSilenceCommands(program: Command, io: CliIo): void {
  const silence = program
    .command('silence')
    .description(
      'hold notifications for a cluster, rule or subject in the deployed ledger table (still checked and stored)',
    )
    .showHelpAfterError('(run `skewguard silence --help` for usage)')
    .addHelpText(
      'after',
      [
        '',
        'A silence matches its cluster, and its rule and subject when given. --subject equals the',
        "finding subject's name, namespace/name, Kind/name or Kind/namespace/name (e.g. web,",
        'shop/web, Deployment/shop/web, Kubelet/v1.26). While it holds, matching findings are',
        'evaluated and stored but notify nobody; when it ends, the next run notifies once what',
        'still fires (and what resolved meanwhile, if its firing had been notified).',
        '',
        `The table: --table, else $SKEWGUARD_TABLE, else the stack output LedgerTableName:`,
        '  aws cloudformation describe-stacks --stack-name Skewguard --query "Stacks[0].Outputs[?OutputKey==\'LedgerTableName\'].OutputValue" --output text',
        'Credentials and region come from the AWS default chain (AWS_PROFILE, AWS_REGION, SSO); --region overrides.',
        '',
        'Examples:',
        '  skewguard silence add --cluster prod-eu --for 7d --comment "node pool migration, OPS-123"',
        '  skewguard silence add --cluster prod-eu --rule DeploymentRolloutStuck --subject shop/web --for 2h --comment "canary"',
        '  skewguard silence list --cluster prod-eu',
        '  skewguard silence expire 3f9a1c2b',
      ].join('\n'),
    );

  withTableOptions(
    silence
      .command('add')
      .description('add a silence; prints its id')
      .showHelpAfterError('(run `skewguard silence add --help` for usage)')
      .requiredOption('--cluster <name>', 'the cluster (as named in the config)')
      .option('--rule <ruleId>', 'only this rule (see `skewguard rules`)')
      .option(
        '--subject <subject>',
        'only this subject: name, namespace/name or Kind/namespace/name',
      )
      .requiredOption('--for <duration>', 'how long, e.g. 2h, 1d, 7d (at most 90d)')
      .option('--comment <text>', 'why, required (a ticket, a reason)')
      .option('--by <name>', 'who is silencing (default: $USER)'),
  )
    .addHelpText(
      'after',
      examples([
        'skewguard silence add --cluster prod-eu --for 7d --comment "upgrade week, OPS-123"',
        'skewguard silence add --cluster prod-eu --rule KubeletVersionSkew --subject v1.29 --for 3d --comment "nodes roll Friday"',
      ]),
    )
    .action(async (opts: AddOptions) => {
      await silenceModule().addCommand(opts, io);
    });

  withTableOptions(
    silence
      .command('list')
      .description('list the silences, active first (ended ones until the table deletes them)')
      .showHelpAfterError('(run `skewguard silence list --help` for usage)')
      .option('--cluster <name>', 'only this cluster (default: every cluster, by Scan)')
      .addOption(
        oneOf(new Option('-o, --output <format>', 'output format').default('table'), [
          'table',
          'json',
        ]),
      ),
  )
    .addHelpText(
      'after',
      examples(['skewguard silence list', 'skewguard silence list --cluster prod-eu -o json']),
    )
    .action(async (opts: ListOptions) => {
      await silenceModule().listCommand(opts, io);
    });

  withTableOptions(
    silence
      .command('expire')
      .description('end a silence now; the next run notifies what still fires')
      .showHelpAfterError('(run `skewguard silence expire --help` for usage)')
      .argument('<id>', 'the silence id (`skewguard silence list` shows them)')
      .option('--cluster <name>', 'the cluster of the silence (default: found by Scan)')
      .option('--by <name>', 'who ends it (default: $USER)'),
  )
    .addHelpText('after', examples(['skewguard silence expire 3f9a1c2b']))
    .action(async (id: string, opts: ExpireOptions) => {
      await silenceModule().expireCommand(id, opts, io);
    });
}

/** The options naming the ledger table, the same for every silence command. */
function withTableOptions(command: Command): Command {
  return command
    .option('--table <name>', 'the ledger table (default: $SKEWGUARD_TABLE)')
    .option('--region <region>', "the table's region (default: the AWS default chain)")
    .option('--endpoint <url>', 'a DynamoDB endpoint other than AWS (DynamoDB Local, tests)');
}

const OUTPUTS = ['table', 'json', 'markdown'] as const;
const PLAN_OUTPUTS = ['table', 'markdown', 'json'] as const;
const FAIL_ON = ['critical', 'warning', 'info', 'never'] as const;

const TOP_EXAMPLES = examples([
  'skewguard check --from-file ./cluster-dump/',
  'skewguard check --context prod-eu',
  'skewguard rules',
  'skewguard explain KubeletVersionSkew',
]);

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
  // SEVERITY is the default; the cases that raise or lower it are listed below the table.
  const forms = RULES.flatMap((r) =>
    (r.otherSeverities ?? []).map(
      (f) => `${r.id.padEnd(widths[0] ?? 0)}  ${f.severity} when ${f.when}`,
    ),
  );
  const notes =
    forms.length > 0 ? ['', 'Other severities (SEVERITY above is the default):', ...forms] : [];
  return `${[line(header), ...rows.map(line), ...notes].join('\n')}\n`;
}

async function explain(ruleId: string): Promise<string> {
  const rule = findRule(ruleId) ?? RULES.find((r) => r.id.toLowerCase() === ruleId.toLowerCase());
  if (!rule) {
    throw new UsageError(configModule().unknownRuleIdMessage(ruleId));
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

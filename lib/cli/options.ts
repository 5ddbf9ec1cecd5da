/** Commander options the commands share: source flags, case-insensitive choices, and help examples. */
import { InvalidArgumentError } from 'commander';
import type { Command, Option } from 'commander';
import { DEFAULT_MAX_INPUT_MB } from '../collect/files/bounded-read';
import { UsageError } from './exit';

/** `Examples:` and one indented command a line, for commander's addHelpText('after'). */
export function examples(lines: readonly string[]): string {
  return ['', 'Examples:', ...lines.map((l) => `  ${l}`)].join('\n');
}

/**
 * `option` restricted to `choices`, matched case-insensitively (`--fail-on CRITICAL`, `-o JSON`)
 * and passed on in lower case; commander's own choices() compares exactly.
 */
export function oneOf(option: Option, choices: readonly string[]): Option {
  return option.choices(choices).argParser((value: string) => {
    const lower = value.toLowerCase();
    if (!choices.includes(lower))
      throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    return lower;
  });
}

/** `--max-input-mb`: a whole number of megabytes, at least 1. */
function megabytes(value: string): number {
  const mb = Number(value);
  if (!Number.isInteger(mb) || mb < 1) {
    throw new UsageError(
      `--max-input-mb ${JSON.stringify(value)} is not a whole number of megabytes of at least 1; pass e.g. --max-input-mb 1024`,
    );
  }
  return mb;
}

/** The options naming the sources and the cluster, the same for `check` and `plan`. */
export function withSourceOptions(command: Command): Command {
  return command
    .option(
      '--from-file <file>',
      'kubectl get … -o json|yaml or kubectl version -o json output; a folder, or - for stdin (repeatable)',
      collect,
      [],
    )
    .option(
      '--max-input-mb <mb>',
      `cap on each --from-file input and on all of them together (default: ${DEFAULT_MAX_INPUT_MB})`,
      megabytes,
    )
    .option(
      '--as-of <time>',
      'when --from-file input was saved, ISO 8601 with a zone (default: its newest timestamp)',
      asOfTime,
    )
    .option('--context <name>', 'kube context to read live (default: the current context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option(
      '--save-snapshot <file>',
      'write the objects read live as JSON that --from-file replays',
    )
    .option(
      '--prometheus-url <url>',
      'Prometheus HTTP API to read (Amazon Managed Prometheus URLs are signed with SigV4)',
    )
    .option(
      '--prometheus-selector <matchers>',
      'label matchers added to every query, e.g. \'cluster="prod"\'',
    )
    .option(
      '--manifests <dir>',
      'rendered manifests (kustomize build / helm template output) whose Deployments, StatefulSets and DaemonSets are compared with the live ones (rule ConfigDrift)',
    )
    .option(
      '--manifests-namespace <ns>',
      'namespace of manifest objects without metadata.namespace (default: default)',
    )
    .option('--config <file>', 'skewguard.config.yaml whose rule settings apply (with --cluster)')
    .option(
      '--cluster <name>',
      'cluster name in output and fingerprints (default: the kube context or input file name)',
    );
}

/** ISO 8601 date and time with a zone: a time without one would mean a different instant per machine. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/** Whether the fields name a real calendar time: Date.parse rolls 2026-02-30 over to March. */
function realTime(match: RegExpExecArray): boolean {
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, oh = 0, om = 0] = match
    .slice(1)
    .map((v) => Number(v ?? 0));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    oh <= 23 &&
    om <= 59
  );
}

/** `--as-of`: an ISO 8601 time with a zone, passed on as given once it is known to be real. */
function asOfTime(value: string): string {
  const trimmed = value.trim();
  const match = ISO_TIME.exec(trimmed);
  if (!match || !realTime(match) || Number.isNaN(Date.parse(trimmed))) {
    throw new UsageError(
      `--as-of ${JSON.stringify(value)} is not an ISO 8601 time with a zone; pass when the input was saved, e.g. --as-of 2026-11-21T12:00:00Z`,
    );
  }
  return trimmed;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Runs the CLI in-process for tests, capturing stdout, stderr and exit code at the test clock. */
import type { LocalKubectl } from '../../lib/collect/kubectl';
import type { CliIo } from '../../lib/cli/check';
import { runCli } from '../../lib/cli/main';
import { NOW } from './evaluate';

/** Result of one in-process CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The kubectl a live test run "finds on PATH": the client of the factory's `kubectl version`
 * output (v1.31.2), so live and --from-file runs of one cluster agree and the machine's own
 * kubectl (or its absence) never changes a test's outcome.
 */
export const TEST_KUBECTL: LocalKubectl = {
  read: {
    state: 'collected',
    version: { raw: 'v1.31.2', source: 'the kubectl on PATH (`kubectl version --client -o json`)' },
  },
  notes: [],
};

/** Runs the CLI in-process with captured output and the fixed test clock. */
export async function cli(...argv: string[]): Promise<CliRun> {
  return cliWith({}, ...argv);
}

/** Like {@link cli}, with parts of the CLI's io replaced (the local kubectl a live run finds, the clock). */
export async function cliWith(
  io: Partial<Pick<CliIo, 'kubectl' | 'now'>>,
  ...argv: string[]
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    now: io.now ?? (() => NOW),
    kubectl: io.kubectl ?? (() => Promise.resolve(TEST_KUBECTL)),
  });
  return { code, stdout, stderr };
}

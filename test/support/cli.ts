/** Runs the CLI in-process for tests, capturing stdout, stderr and exit code at the test clock. */
import { runCli } from '../../lib/cli/main';
import { NOW } from './evaluate';

/** Result of one in-process CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output and the fixed test clock. */
export async function cli(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    now: () => NOW,
  });
  return { code, stdout, stderr };
}

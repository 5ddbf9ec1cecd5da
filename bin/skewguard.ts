import { runCli } from '../lib/cli/main';

// The CLI entry: real stdout/stderr and clock; all logic lives in lib/cli for tests.
void runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  now: () => Date.now(),
}).then((code) => {
  process.exitCode = code;
});

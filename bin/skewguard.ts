/** The `skewguard` CLI entry: runCli with the process's stdout, stderr, clock and exit code. */
import { runCli } from '../lib/cli/main';

// The AWS SDK warns on Node.js 20 (a "NodeVersionSupportWarning" on stderr) whenever it builds a
// client; skewguard supports Node.js 20.19, so that notice is noise in CLI output. Read when a
// client is built, not when the SDK loads, so setting it here is in time; an explicit value wins.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

// The CLI entry: real stdout/stderr and clock; all logic lives in lib/cli for tests.
void runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  now: () => Date.now(),
  terminal: { isTTY: process.stdout.isTTY, columns: process.stdout.columns, env: process.env },
  // One overwritten status line, only where a person watches (never in pipes or CI logs).
  ...(process.stderr.isTTY
    ? { progress: (m: string) => process.stderr.write(`\r\x1b[2K${m}`) }
    : {}),
}).then((code) => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  process.exitCode = code;
});

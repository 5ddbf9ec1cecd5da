/** The README's demo output is the real output: rerun at the README's clock, each excerpt matches. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../lib/cli/main';

const REPO = join(__dirname, '../../..');

it('README shows what `npm run demo` prints', async () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /`npm run demo` prints[^\n]*\n[^\n]*\n\n```\n([\s\S]*?)\n```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const at = /· (?:as of )?(\d{4}-\d\d-\d\dT[\d:.]+Z) ·/.exec(block ?? '')?.[1] ?? '';
  let stdout = '';
  await runCli(
    ['check', '--from-file', join(REPO, 'examples/demo-cluster'), '--cluster', 'demo-eks'],
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => undefined,
      now: () => Date.parse(at),
    },
  );
  // `[… what was left out …]` lines mark where the README abridges; the parts between are exact.
  const parts = (block ?? '').split(/\n*\[… [^\n]*…\]\n*/).filter((p) => p !== '');
  expect(parts.length).toBeGreaterThanOrEqual(2);
  for (const part of parts) expect(stdout).toContain(part);
});

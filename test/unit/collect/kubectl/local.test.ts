/** readLocalKubectl against fake kubectl executables on a temporary PATH (never the real kubectl). */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readLocalKubectl } from '../../../../lib/collect/kubectl';

const CLIENT_JSON = JSON.stringify({
  clientVersion: { major: '1', minor: '27', gitVersion: 'v1.27.16', platform: 'linux/amd64' },
  kustomizeVersion: 'v5.0.1',
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * A PATH whose first folder holds a `kubectl` shell script with the given body, then /bin and
 * /usr/bin for the tools the script runs (the fake shadows any real kubectl there). Without a
 * body, PATH is that empty folder alone, so no kubectl can be found.
 */
function pathWithKubectl(body: string | undefined): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'skewguard-kubectl-'));
  dirs.push(dir);
  if (body === undefined) return { PATH: dir };
  const file = join(dir, 'kubectl');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return { PATH: `${dir}:/bin:/usr/bin` };
}

const describePosix = process.platform === 'win32' ? describe.skip : describe;

describePosix('readLocalKubectl', () => {
  it('reads the clientVersion of the kubectl on PATH, with the arguments it passes', async () => {
    // The fake answers only the exact command, so the test also pins the arguments.
    const env = pathWithKubectl(
      `[ "$*" = "version --client -o json" ] || { echo "unexpected: $*" >&2; exit 9; }\ncat <<'JSON'\n${CLIENT_JSON}\nJSON`,
    );
    const result = await readLocalKubectl({ env });
    expect(result).toEqual({
      read: {
        state: 'collected',
        version: {
          raw: 'v1.27.16',
          source: 'the kubectl on PATH (`kubectl version --client -o json`)',
        },
      },
      notes: [],
    });
  });

  it('without kubectl on PATH: the part is missing and a note says how to check it', async () => {
    const result = await readLocalKubectl({ env: pathWithKubectl(undefined) });
    expect(result.read).toEqual({
      state: 'missing',
      reason: expect.stringContaining('no kubectl on PATH') as unknown,
    });
    expect(result.notes).toEqual([
      expect.stringMatching(/^kubectl not checked: no kubectl on PATH.*add it to PATH/),
    ]);
  });

  it('output that is not JSON is named, not parsed', async () => {
    const env = pathWithKubectl('echo "Client Version: v1.27.16"');
    const result = await readLocalKubectl({ env });
    expect(result.read).toEqual({
      state: 'missing',
      reason: expect.stringContaining(
        'did not print JSON (it began "Client Version: v1.27.16")',
      ) as unknown,
    });
    expect(result.notes).toHaveLength(1);
  });

  it('a kubectl that hangs is stopped at the timeout, with whatever it started', async () => {
    // A wrapper whose child keeps the pipes open: only killing the process group ends it.
    const env = pathWithKubectl('sleep 30 &\nwait');
    const started = Date.now();
    const result = await readLocalKubectl({ env, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.read).toEqual({
      state: 'missing',
      reason: expect.stringContaining('did not answer within 0.3 s and was stopped') as unknown,
    });
  });

  it('caps the output it reads', async () => {
    const env = pathWithKubectl('head -c 200000 /dev/zero | tr "\\0" x');
    const result = await readLocalKubectl({ env, maxOutputBytes: 1024 });
    expect(result.read).toEqual({
      state: 'missing',
      reason: expect.stringContaining('printed more than 1 KiB') as unknown,
    });
  });

  it('a failing kubectl is reported with its exit code and first stderr line', async () => {
    const env = pathWithKubectl('echo "error: unknown flag: --client" >&2\nexit 1');
    const result = await readLocalKubectl({ env });
    expect(result.read).toEqual({
      state: 'missing',
      reason: expect.stringContaining('exited with 1 (error: unknown flag: --client)') as unknown,
    });
  });
});

describe('who runs kubectl', () => {
  it('only the CLI calls the probe: the Lambda (functions/, lib/check.ts) never spawns kubectl', () => {
    const repo = join(__dirname, '../../../..');
    const callers = ['lib', 'functions']
      .flatMap((top) =>
        readdirSync(join(repo, top), { recursive: true, encoding: 'utf8' }).map((f) =>
          join(top, f),
        ),
      )
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => readFileSync(join(repo, f), 'utf8').includes('readLocalKubectl'))
      .map((f) => relative('.', f).split('\\').join('/'))
      .sort();
    expect(callers).toEqual([
      'lib/cli/check.ts',
      'lib/collect/kubectl/index.ts',
      'lib/collect/kubectl/local.ts',
    ]);
  });
});

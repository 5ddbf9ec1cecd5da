/**
 * connectKubeconfigFile when the kubeconfig cannot be used as written: a missing exec plugin, a
 * plugin that fails, an unreadable CA or client certificate, a context naming an unknown user.
 * Each failure is a SourceError naming the kubeconfig entry, the field and the fix. The server
 * URL is never contacted (these fail while connecting); exec plugins are shell scripts written here.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { SourceError } from '../../../../lib/collect/errors';
import { connectKubeconfigFile } from '../../../../lib/collect/kubernetes/kubeconfig-file';

const DIR = mkdtempSync(join(tmpdir(), 'skewguard-kcfile-'));
const SERVER = 'https://127.0.0.1:1';
const CREDENTIAL = JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  kind: 'ExecCredential',
  status: { token: 'from-plugin' },
});

/** Writes an executable shell script `name` into a folder of its own and returns that folder. */
function plugin(name: string, body: string): string {
  const bin = mkdtempSync(join(DIR, 'bin-'));
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
  return bin;
}

/** An exec user entry running `command`, with `bin` first on the plugin's PATH. */
function execUser(command: string, args: string[] = [], bin?: string): Record<string, unknown> {
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command,
      args,
      ...(bin
        ? { env: [{ name: 'PATH', value: `${bin}${delimiter}${process.env['PATH'] ?? ''}` }] }
        : {}),
    },
  };
}

/** Writes a one-context kubeconfig (context `ctx`, cluster `c`, user `u`) and returns its path. */
function kubeconfig(
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
  userName = 'u',
): string {
  const file = join(mkdtempSync(join(DIR, 'kc-')), 'config');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'ctx',
      clusters: [{ name: 'c', cluster: { server: SERVER, ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: userName } }],
    }),
  );
  return file;
}

async function failure(file: string): Promise<SourceError> {
  const error = await connectKubeconfigFile({ file }).then(
    (target) => {
      target.agent.destroy();
      throw new Error('connected');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('connectKubeconfigFile names what in the kubeconfig is unusable and the fix', () => {
  it('an exec plugin that never finishes: stopped at the deadline', async () => {
    const bin = plugin('hangs-forever', 'sleep 30');
    const file = kubeconfig(execUser('hangs-forever', ['token'], bin));
    const started = Date.now();
    const error = await connectKubeconfigFile({ file, execTimeoutMs: 300 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ source: 'kubernetes', kind: 'auth' });
    expect((error as Error).message).toContain(
      'exec plugin `hangs-forever` did not print credentials within 0.3 s and was stopped',
    );
    expect((error as Error).message).toContain('run `hangs-forever token` yourself');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an exec plugin stopped at its deadline takes the processes it started with it', async () => {
    const pidFile = join(mkdtempSync(join(DIR, 'pid-')), 'child');
    const bin = plugin('starts-a-child', `sleep 300 & echo $! > ${pidFile}; wait`);
    const file = kubeconfig(execUser('starts-a-child', [], bin));
    await connectKubeconfigFile({ file, execTimeoutMs: 500 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const child = Number(readFileSync(pidFile, 'utf8').trim());
    expect(child).toBeGreaterThan(0);
    // Gone, or a zombie nobody reaps (a container without an init process): not running. A
    // signal lands a moment after it is sent, so look for up to 2 s.
    const stat = `/proc/${child}/stat`;
    const state = (): string | undefined =>
      existsSync(stat) ? /\) (\S)/.exec(readFileSync(stat, 'utf8'))?.[1] : 'gone';
    for (let i = 0; i < 40 && !['gone', 'Z', 'X'].includes(state() ?? ''); i += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(['gone', 'Z', 'X']).toContain(state());
  });

  it('an exec plugin that is not on PATH', async () => {
    const error = await failure(kubeconfig(execUser('nonexistent-auth-helper', ['token'])));
    expect(error).toMatchObject({ source: 'kubernetes', kind: 'auth' });
    expect(error.message).toBe(
      'kubeconfig user "u" (context "ctx"): its exec plugin `nonexistent-auth-helper` is not on PATH (spawn ENOENT); install it, or pick another context with --context',
    );
  });

  it('an exec plugin that fails: its own message, and how to fix its credentials', async () => {
    const bin = plugin(
      'aws',
      'echo >&2; echo \'Unable to locate credentials. You can configure credentials by running "aws configure".\' >&2; exit 253',
    );
    const file = kubeconfig(
      execUser('aws', ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'demo'], bin),
    );
    const error = await failure(file);
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      'kubeconfig user "u" (context "ctx"): its exec plugin `aws` failed: Unable to locate credentials. You can configure credentials by running "aws configure"; fix its AWS credentials (e.g. `aws configure`, `aws sso login`, or set AWS_PROFILE), or pick another context with --context',
    );
  });

  it('an unknown exec plugin that fails silently: how to see why', async () => {
    const bin = plugin('my-auth', 'exit 1');
    const error = await failure(kubeconfig(execUser('my-auth', ['token', '--x'], bin)));
    expect(error.message).toBe(
      'kubeconfig user "u" (context "ctx"): its exec plugin `my-auth` failed: it exited non-zero without a message; run `my-auth token --x` yourself to see why and fix it, or pick another context with --context',
    );
  });

  it.each([
    ['not JSON', 'echo "token: abc"', 'output that is not JSON'],
    ['JSON without status', 'echo "{}"', 'JSON without status'],
  ])('an exec plugin that prints %s, without echoing it', async (_name, body, what) => {
    const bin = plugin('my-auth', body);
    const error = await failure(kubeconfig(execUser('my-auth', [], bin)));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      `kubeconfig user "u" (context "ctx"): its exec plugin \`my-auth\` printed ${what}, not an ExecCredential; run \`my-auth\` to see its output, or pick another context with --context`,
    );
  });

  it('an exec plugin that is not executable', async () => {
    const bin = plugin('my-auth', 'exit 0');
    chmodSync(join(bin, 'my-auth'), 0o644);
    const error = await failure(kubeconfig(execUser(join(bin, 'my-auth'))));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(
      `its exec plugin \`${join(bin, 'my-auth')}\` cannot be started`,
    );
  });

  it("a missing certificate-authority file: the cluster's field and the fix", async () => {
    const error = await failure(
      kubeconfig({ token: 'x' }, { 'certificate-authority': '/nonexistent/ca.crt' }),
    );
    expect(error).toMatchObject({ source: 'kubernetes', kind: 'tls' });
    expect(error.message).toBe(
      'kubeconfig cluster "c" (context "ctx"): its certificate-authority file /nonexistent/ca.crt cannot be read (no such file); fix the path or embed the file as certificate-authority-data, or pick another context with --context',
    );
  });

  it.each(['client-certificate', 'client-key'])('a missing %s file', async (field) => {
    const error = await failure(
      kubeconfig({
        'client-certificate-data': 'Y2VydA==',
        'client-key-data': 'a2V5',
        [field]: '/nonexistent/client.pem',
      }),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      `kubeconfig user "u" (context "ctx"): its ${field} file /nonexistent/client.pem cannot be read (no such file); fix the path or embed the file as ${field}-data, or pick another context with --context`,
    );
  });

  it('a context naming a user the kubeconfig lacks', async () => {
    const error = await failure(kubeconfig({ token: 'x' }, {}, 'ghost'));
    expect(error.kind).toBe('config');
    expect(error.message).toBe(
      `kubeconfig context "ctx" names user "ghost", which is not in the kubeconfig's users (u); fix the context's user or pick another context with --context`,
    );
  });

  it.each(['http://127.0.0.1:1', 'https://exa mple'])('a server URL %s', async (server) => {
    const error = await failure(kubeconfig({ token: 'x' }, { server }));
    expect(error.kind).toBe('config');
    expect(error.message).toBe(
      `API server URL "${server}" of kubeconfig cluster "c" is not an https:// URL with a host; skewguard talks to API servers over TLS only: fix the cluster's server or pick another context with --context`,
    );
  });

  it("a user's token-file that cannot be read (client-node reads them all on load)", async () => {
    const file = kubeconfig({ 'token-file': '/nonexistent/token' });
    const error = await failure(file);
    expect(error.kind).toBe('config');
    expect(error.message).toBe(
      `cannot load kubeconfig ${file}: the token-file /nonexistent/token of one of its users cannot be read (ENOENT); fix or remove that user's token-file; pass --kubeconfig FILE or --from-file`,
    );
  });

  it('an exec plugin that works at first and fails later: each request says why', async () => {
    // The first run prints a credential without expiry (so client-node runs it per request); later runs fail.
    const marker = join(mkdtempSync(join(DIR, 'state-')), 'ran');
    const bin = plugin(
      'my-auth',
      `if [ -e '${marker}' ]; then echo 'token expired; sign in again' >&2; exit 1; fi\ntouch '${marker}'\necho '${CREDENTIAL}'`,
    );
    const target = await connectKubeconfigFile({ file: kubeconfig(execUser('my-auth', [], bin)) });
    try {
      const error = await target.headers().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect(error).toMatchObject({
        kind: 'auth',
        message: expect.stringContaining(
          'its exec plugin `my-auth` failed: token expired; sign in again;',
        ),
      });
    } finally {
      target.agent.destroy();
    }
  });
});

describe('connectKubeconfigFile refuses what it would otherwise ignore', () => {
  it('a cluster proxy-url: refused, with the proxy credentials kept out of the message', async () => {
    const error = await failure(
      kubeconfig({ token: 't' }, { 'proxy-url': 'http://user:secret@proxy.corp:3128' }),
    );
    expect(error).toMatchObject({ source: 'kubernetes', kind: 'config' });
    expect(error.message).toBe(
      'kubeconfig cluster "c": requests to https://127.0.0.1:1 would go through the proxy http://***@proxy.corp:3128 (proxy-url), and skewguard does not send API requests through a proxy: run it where the API server is reachable directly and remove proxy-url from the cluster entry, or save `kubectl get nodes,pods,deploy,sts,ds,rs -A -o json` through the proxy and pass it with --from-file',
    );
  });

  it.each([
    [{ HTTPS_PROXY: 'http://proxy.corp:3128' }, true],
    [{ HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '127.0.0.1' }, false],
    [{ https_proxy: 'http://proxy.corp:3128', no_proxy: '*' }, false],
  ])('HTTPS_PROXY as kubectl reads it: %j refused %s', async (env, refused) => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const error = await failure(kubeconfig({ token: 't' })).catch((e: unknown) => e);
      if (refused) expect((error as Error).message).toContain('(HTTPS_PROXY)');
      else expect(error).toBeInstanceOf(Error); // connected, so failure() threw 'connected'
      if (!refused) expect((error as Error).message).not.toContain('proxy');
    } finally {
      for (const key of Object.keys(env)) Reflect.deleteProperty(process.env, key);
      Object.assign(process.env, saved);
    }
  });

  it('no current-context: says so and lists the contexts', async () => {
    const file = join(mkdtempSync(join(DIR, 'kc-')), 'config');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: SERVER } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [
          { name: 'prod', context: { cluster: 'c', user: 'u' } },
          { name: 'lab', context: { cluster: 'c', user: 'u' } },
        ],
      }),
    );
    const error = await failure(file);
    expect(error.message).toBe(
      `kubeconfig ${file}: current-context is not set; pass --context with one of: prod, lab (or run \`kubectl config use-context NAME\`)`,
    );
  });
});

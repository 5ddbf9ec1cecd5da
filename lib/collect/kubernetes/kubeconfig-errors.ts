/** Turns client-node's kubeconfig failures (exec plugin, CA or key file) into SourceErrors. */
import type { KubeConfig } from '@kubernetes/client-node';
import { SourceError } from '../errors';

const OTHER_CONTEXT = 'or pick another context with --context';

// What to run when a well-known exec plugin fails; other plugins get "run it yourself".
const PLUGIN_FIX: Readonly<Record<string, string>> = {
  aws: 'fix its AWS credentials (e.g. `aws configure`, `aws sso login`, or set AWS_PROFILE)',
  'aws-iam-authenticator':
    'fix its AWS credentials (e.g. `aws configure`, `aws sso login`, or set AWS_PROFILE)',
  'gke-gcloud-auth-plugin': 'fix its Google credentials (e.g. `gcloud auth login`)',
  kubelogin: 'sign in again (e.g. `az login`, then `kubelogin convert-kubeconfig`)',
};

const FILE_PROBLEM: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
};

/** An exec plugin ran past its deadline and was killed. */
export class ExecPluginTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the exec plugin did not finish within ${timeoutMs / 1000} s`);
  }
}

/** The exec plugin a kubeconfig user runs for credentials (`user.exec` or a legacy auth-provider's). */
interface ExecSpec {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Turns a failure of client-node's `applyToHTTPSOptions` (reading the CA, client certificate and
 * key files, running the exec plugin) into a SourceError that names the kubeconfig entry and
 * field at fault and what to do; client-node itself throws bare `ENOENT` or the plugin's stderr.
 */
export function kubeconfigUseError(kc: KubeConfig, error: unknown): SourceError {
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  const userName = `kubeconfig user "${user?.name ?? '?'}" (context "${context}")`;
  const e = error as NodeJS.ErrnoException;
  const exec = execOf(user);
  const fail = (kind: 'auth' | 'tls', message: string): SourceError =>
    new SourceError('kubernetes', kind, message, { cause: error });

  if (exec && error instanceof ExecPluginTimeoutError) {
    return fail(
      'auth',
      `${userName}: its exec plugin \`${exec.command}\` did not print credentials within ${error.timeoutMs / 1000} s and was stopped; ` +
        `run \`${[exec.command, ...exec.args].join(' ')}\` yourself to see what it waits for (a login prompt, a browser sign-in), ${OTHER_CONTEXT}`,
    );
  }
  if (exec && e.syscall?.startsWith('spawn')) {
    return fail(
      'auth',
      e.code === 'ENOENT'
        ? `${userName}: its exec plugin \`${exec.command}\` is not on PATH (spawn ENOENT); install it, ${OTHER_CONTEXT}`
        : `${userName}: its exec plugin \`${exec.command}\` cannot be started (${e.code ?? e.message}); check that it is an executable file, ${OTHER_CONTEXT}`,
    );
  }
  if (e.path !== undefined && e.code !== undefined) {
    const field =
      e.path === cluster?.caFile
        ? { kind: 'tls' as const, what: `cluster "${cluster.name}"`, name: 'certificate-authority' }
        : e.path === user?.certFile
          ? { kind: 'auth' as const, what: `user "${user.name}"`, name: 'client-certificate' }
          : e.path === user?.keyFile
            ? { kind: 'auth' as const, what: `user "${user.name}"`, name: 'client-key' }
            : undefined;
    if (field) {
      return fail(
        field.kind,
        `kubeconfig ${field.what} (context "${context}"): its ${field.name} file ${e.path} cannot be read (${FILE_PROBLEM[e.code] ?? e.code}); fix the path or embed the file as ${field.name}-data, ${OTHER_CONTEXT}`,
      );
    }
  }
  if (exec) {
    const run = `\`${[exec.command, ...exec.args].join(' ')}\``;
    if (error instanceof SyntaxError || error instanceof TypeError) {
      // client-node parses stdout as an ExecCredential; its parse error would quote the output,
      // which may hold a secret, so the message says only what was wrong.
      const what = error instanceof SyntaxError ? 'output that is not JSON' : 'JSON without status';
      return fail(
        'auth',
        `${userName}: its exec plugin \`${exec.command}\` printed ${what}, not an ExecCredential; run ${run} to see its output, ${OTHER_CONTEXT}`,
      );
    }
    const said = oneLine(e.message ?? String(error)) || 'it exited non-zero without a message';
    const fix = PLUGIN_FIX[basename(exec.command)] ?? `run ${run} yourself to see why and fix it`;
    return fail(
      'auth',
      `${userName}: its exec plugin \`${exec.command}\` failed: ${said}; ${fix}, ${OTHER_CONTEXT}`,
    );
  }
  return fail(
    'auth',
    `${userName}: its credentials cannot be applied: ${oneLine(e.message ?? String(error))}; fix the user entry in the kubeconfig, ${OTHER_CONTEXT}`,
  );
}

function execOf(user: ReturnType<KubeConfig['getCurrentUser']>): ExecSpec | undefined {
  // client-node types exec and auth-provider config as `any`: read them defensively.
  const raw = (user?.exec ?? user?.authProvider?.config?.exec) as
    { command?: unknown; args?: unknown } | undefined;
  if (!raw || typeof raw.command !== 'string') return undefined;
  const args = Array.isArray(raw.args) ? raw.args.map(String) : [];
  return { command: raw.command, args };
}

function basename(command: string): string {
  return command.split(/[\\/]/).pop() ?? command;
}

/** A plugin's stderr as one line without its final full stop, capped for a terminal. */
function oneLine(text: string): string {
  const line = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.\s]+$/, '');
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

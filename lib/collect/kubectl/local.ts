/**
 * Reads the version of the kubectl on PATH (`kubectl version --client -o json`) for a live CLI
 * run, bounded in time and output. Only the CLI calls it: the Lambda never spawns kubectl.
 */
import { spawn } from 'node:child_process';
import type { KubectlRead } from './client-version';
import { clientVersionRef } from './client-version';

/** How long kubectl may take: `--client` never contacts the cluster, so it answers in well under a second. */
export const KUBECTL_TIMEOUT_MS = 5000;
/** The most output read: the real answer is under 1 KiB; anything far larger is not kubectl's. */
export const KUBECTL_MAX_OUTPUT_BYTES = 64 * 1024;

const ARGS = ['version', '--client', '-o', 'json'] as const;
const COMMAND = `kubectl ${ARGS.join(' ')}`;
const SOURCE = `the kubectl on PATH (\`${COMMAND}\`)`;

/** Options of {@link readLocalKubectl}; tests pass a PATH with a fake kubectl. */
export interface LocalKubectlOptions {
  /** The environment kubectl runs with and is looked up in (PATH). Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
}

/** What the probe found: the `kubectl` part, and a note for the report when it found no client. */
export interface LocalKubectl {
  readonly read: KubectlRead;
  readonly notes: readonly string[];
}

/**
 * Runs `kubectl version --client -o json` and reads its clientVersion. Never rejects: a missing
 * kubectl, a timeout, a failure or output that is not kubectl's leaves the part missing with a
 * note naming the cause and the fix, because a check must not fail over the client it reports on.
 */
export function readLocalKubectl(options: LocalKubectlOptions = {}): Promise<LocalKubectl> {
  const timeoutMs = options.timeoutMs ?? KUBECTL_TIMEOUT_MS;
  const maxBytes = options.maxOutputBytes ?? KUBECTL_MAX_OUTPUT_BYTES;
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let done = false;
    let closed = false;
    // Its own process group on POSIX, so a timeout also kills what a wrapper (asdf, mise shims)
    // started; killing only the shim would leave its child holding the pipes open.
    const child = spawn('kubectl', ARGS, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const finish = (result: KubectlRead): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Until its pipes close something of kubectl's is still running, even if the shim exited.
      if (!closed) kill(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        read: result,
        notes: result.state === 'missing' ? [`kubectl not checked: ${result.reason}`] : [],
      });
    };
    const missing = (reason: string): KubectlRead => ({ state: 'missing', reason });
    const timer = setTimeout(() => {
      finish(
        missing(
          `\`${COMMAND}\` did not answer within ${timeoutMs / 1000} s and was stopped; run it yourself to see what it waits for (a wrapper or version manager shim that prompts or downloads), or put a plain kubectl first on PATH`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(missing(spawnFailure(error)));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish(
          missing(
            `\`${COMMAND}\` printed more than ${maxBytes / 1024} KiB, which is not kubectl's version output; check which kubectl is first on PATH (\`command -v kubectl\`)`,
          ),
        );
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Only the end matters for the message; keep it short whatever kubectl prints.
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    child.on('close', (code, signal) => {
      closed = true;
      if (code !== 0) {
        const why = signal !== null ? `was killed by ${signal}` : `exited with ${String(code)}`;
        const said = firstLine(stderr);
        finish(
          missing(
            `\`${COMMAND}\` ${why}${said ? ` (${said})` : ''}; run it yourself to see why, and fix or replace the kubectl first on PATH`,
          ),
        );
        return;
      }
      finish(parseOutput(Buffer.concat(stdout).toString('utf8')));
    });
  });
}

/** The clientVersion of kubectl's JSON answer, or why it is not one. */
function parseOutput(text: string): KubectlRead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const start = firstLine(text);
    return {
      state: 'missing',
      reason: `\`${COMMAND}\` did not print JSON (${start ? `it began "${start.slice(0, 60)}"` : 'it printed nothing'}); a wrapper or alias that adds text, or a kubectl too old for \`-o json\`, cannot be checked: put a current kubectl first on PATH`,
    };
  }
  const ref =
    typeof parsed === 'object' && parsed !== null
      ? clientVersionRef((parsed as Record<string, unknown>)['clientVersion'], SOURCE)
      : undefined;
  if (!ref)
    return {
      state: 'missing',
      reason: `\`${COMMAND}\` printed JSON without a clientVersion naming a version; check which kubectl is first on PATH (\`command -v kubectl\`)`,
    };
  return { state: 'collected', version: ref };
}

/** Why kubectl could not be started, with the fix. */
function spawnFailure(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT')
    return 'no kubectl on PATH, so the kubectl you use with this cluster was not compared with kube-apiserver; install kubectl or add it to PATH to check it';
  if (error.code === 'EACCES')
    return 'the kubectl on PATH cannot be run (permission denied); make it executable (`chmod +x "$(command -v kubectl)"`)';
  return `kubectl could not be started (${error.code ?? error.message}); run \`${COMMAND}\` yourself to see why`;
}

/** The first non-empty line, trimmed. */
function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

/** Kills kubectl and whatever it started (its process group on POSIX). */
function kill(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    // Already gone between the check and the kill.
  }
}

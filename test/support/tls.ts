/**
 * Throwaway TLS material for loopback test servers: a CA and a server certificate for
 * 127.0.0.1 / localhost, made with the `openssl` CLI once per process (jest worker).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM strings of a test CA and a server key pair it signed (SAN IP:127.0.0.1, DNS:localhost). */
export interface TestTls {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

// P-256 keys: generated in milliseconds, and accepted by Node, Go (kubectl) and OpenSSL alike.
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

// `openssl x509 -req` drops CSR extensions, so the server extensions come from a file.
const SERVER_EXTENSIONS = [
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth',
  'subjectAltName = IP:127.0.0.1, DNS:localhost',
  '',
].join('\n');

let cached: Promise<TestTls> | undefined;

/** The process-wide test CA and server certificate; made on first call, then reused. */
export function testTls(): Promise<TestTls> {
  cached ??= generateTestTls().catch((error: unknown) => {
    cached = undefined; // let a later call retry instead of caching the failure
    throw error;
  });
  return cached;
}

async function openssl(dir: string, args: readonly string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir, timeout: 30_000 });
  } catch (error) {
    const detail = error as NodeJS.ErrnoException & { stderr?: string };
    if (detail.code === 'ENOENT') {
      throw new Error(
        'openssl is not on PATH: the test Kubernetes API server needs it to make a throwaway CA. ' +
          'Install OpenSSL (e.g. `apt-get install openssl`) and rerun.',
        { cause: error },
      );
    }
    throw new Error(
      `openssl ${args.slice(0, 2).join(' ')} failed while making test TLS material: ` +
        `${(detail.stderr ?? detail.message).trim()}. Check that openssl is version 1.1.1 or newer.`,
      { cause: error },
    );
  }
}

async function generateTestTls(): Promise<TestTls> {
  const dir = await mkdtemp(join(tmpdir(), 'skewguard-tls-'));
  try {
    await writeFile(join(dir, 'server.ext'), SERVER_EXTENSIONS);
    await openssl(dir, [
      'req',
      '-x509',
      ...KEY_ARGS,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '7',
      '-subj',
      '/CN=skewguard-test-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await openssl(dir, [
      'req',
      ...KEY_ARGS,
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    ]);
    await openssl(dir, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '7',
      '-extfile',
      'server.ext',
    ]);
    const [caPem, certPem, keyPem] = await Promise.all(
      ['ca.crt', 'server.crt', 'server.key'].map((f) => readFile(join(dir, f), 'utf8')),
    );
    return { caPem: caPem!, certPem: certPem!, keyPem: keyPem! };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

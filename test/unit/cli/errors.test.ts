/**
 * CLI error paths that fail before any network read: each exits 2 with one stderr line naming
 * the cause and the fix (the flag, the kubeconfig field), never "unexpected error" or a stack.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { cli } from '../../support/cli';

const DIR = mkdtempSync(join(tmpdir(), 'skewguard-cli-errors-'));

// A failing `aws` on the plugin's PATH only: the real AWS CLI is never run.
const BIN = mkdtempSync(join(DIR, 'bin-'));
writeFileSync(
  join(BIN, 'aws'),
  '#!/bin/sh\necho \'Unable to locate credentials. You can configure credentials by running "aws configure".\' >&2\nexit 253\n',
);
chmodSync(join(BIN, 'aws'), 0o755);

// Contexts as a person's kubeconfig has them; the server is never reached.
const KUBECONFIG = join(DIR, 'kubeconfig');
writeFileSync(
  KUBECONFIG,
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'exec',
    clusters: [
      { name: 'c', cluster: { server: 'https://127.0.0.1:1' } },
      {
        name: 'badca',
        cluster: { server: 'https://127.0.0.1:1', 'certificate-authority': '/nonexistent/ca.crt' },
      },
    ],
    users: [
      {
        name: 'exec',
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'nonexistent-auth-helper',
            args: ['token'],
          },
        },
      },
      {
        name: 'eks',
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'demo'],
            env: [{ name: 'PATH', value: `${BIN}${delimiter}${process.env['PATH'] ?? ''}` }],
          },
        },
      },
      { name: 't', user: { token: 'x' } },
    ],
    contexts: [
      { name: 'exec', context: { cluster: 'c', user: 'exec' } },
      { name: 'eks', context: { cluster: 'c', user: 'eks' } },
      { name: 'badca', context: { cluster: 'badca', user: 't' } },
    ],
  }),
);

/** Asserts a run failed with exit 2 and exactly one stderr line, and returns that line. */
async function failsWith(...argv: string[]): Promise<string> {
  const run = await cli(...argv);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toContain('unexpected error');
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  return run.stderr;
}

describe('kubeconfig contexts that cannot be used', () => {
  it.each([
    [
      'exec',
      'skewguard: kubeconfig user "exec" (context "exec"): its exec plugin `nonexistent-auth-helper` is not on PATH (spawn ENOENT); install it, or pick another context with --context\n',
    ],
    [
      'eks',
      'skewguard: kubeconfig user "eks" (context "eks"): its exec plugin `aws` failed: Unable to locate credentials. You can configure credentials by running "aws configure"; fix its AWS credentials (e.g. `aws configure`, `aws sso login`, or set AWS_PROFILE), or pick another context with --context\n',
    ],
    [
      'badca',
      'skewguard: kubeconfig cluster "badca" (context "badca"): its certificate-authority file /nonexistent/ca.crt cannot be read (no such file); fix the path or embed the file as certificate-authority-data, or pick another context with --context\n',
    ],
  ])('--context %s', async (context, message) => {
    expect(await failsWith('check', '--kubeconfig', KUBECONFIG, '--context', context)).toBe(
      message,
    );
  });
});

describe('--prometheus-url', () => {
  it.each(['http://', 'https://', 'garbage', 'ftp://prometheus', 'http://[::1', 'http://a b'])(
    '%s is named as the bad flag',
    async (url) => {
      expect(await failsWith('check', '--prometheus-url', url)).toBe(
        `skewguard: --prometheus-url "${url}" is not an http(s) URL with a host, e.g. http://prometheus:9090 or https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-…\n`,
      );
    },
  );
});

describe('--save-snapshot paths checked before the live read', () => {
  it.each([
    [
      'a folder that does not exist',
      '/nonexistent/dir/snap.json',
      'skewguard: --save-snapshot /nonexistent/dir/snap.json: the folder /nonexistent/dir does not exist; create it (mkdir -p /nonexistent/dir) or choose another path\n',
    ],
    [
      'a folder',
      DIR,
      `skewguard: --save-snapshot ${DIR} is a folder; give a file path, e.g. ${join(DIR, 'snapshot.json')}\n`,
    ],
    [
      'a path through a file',
      join(KUBECONFIG, 'snap.json'),
      `skewguard: --save-snapshot ${join(KUBECONFIG, 'snap.json')}: ${KUBECONFIG} is a file, not a folder; choose another path\n`,
    ],
  ])('%s', async (_name, path, message) => {
    // The context's exec plugin is missing: reaching it would fail differently.
    expect(
      await failsWith(
        'check',
        '--kubeconfig',
        KUBECONFIG,
        '--context',
        'exec',
        '--save-snapshot',
        path,
      ),
    ).toBe(message);
  });
});

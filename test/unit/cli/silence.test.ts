/** `skewguard silence add|list|expire` end to end against dynalite, and the usage errors that name the fix. */
import { runCli } from '../../../lib/cli/main';
import { DynamoDbLedgerStore, Ledger } from '../../../lib/ledger';
import type { Dynalite } from '../../support/dynalite';
import { startDynalite } from '../../support/dynalite';
import { NOW } from '../../support/evaluate';
import { evaluation, finding } from '../ledger/helpers';

let dynalite: Dynalite;
const saved = { ...process.env };

beforeAll(async () => {
  dynalite = await startDynalite();
  // The SDK's default chain finds these; dynalite accepts any credentials.
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIAFAKEFORTESTS';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'fake-secret-for-tests';
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
});
afterAll(async () => {
  process.env = saved;
  await dynalite.stop();
});

async function silence(
  env: Record<string, string | undefined>,
  now: number,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    ['silence', ...argv, '--endpoint', dynalite.endpoint, '--region', 'us-east-1'],
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      now: () => now,
      env,
    },
  );
  return { code, stdout, stderr };
}

const ENV = { SKEWGUARD_TABLE: 'skewguard-ledger', USER: 'alice' };

describe('skewguard silence', () => {
  it('adds, lists and expires a silence the checker then honours', async () => {
    const added = await silence(
      ENV,
      NOW,
      'add',
      '--cluster',
      'prod',
      '--rule',
      'DeploymentRolloutStuck',
      '--subject',
      'shop/web',
      '--for',
      '7d',
      '--comment',
      'canary, OPS-7',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const id = /silence ([0-9a-f]{8}) added/.exec(added.stdout)?.[1] ?? '';
    expect(added.stdout).toContain(
      'cluster prod, rule DeploymentRolloutStuck, subject shop/web until',
    );
    expect(added.stdout).toContain(`skewguard silence expire ${id}`);

    // The checker's ledger on the same table holds the matching finding.
    const ledger = new Ledger(new DynamoDbLedgerStore(dynalite.client, dynalite.tableName));
    const published: string[] = [];
    const web = finding('web', { ruleId: 'DeploymentRolloutStuck' });
    const publish = async (ts: readonly { item: { sk: string } }[]) => {
      published.push(...ts.map((t) => t.item.sk));
    };
    await ledger.deliver('prod', evaluation([web]), NOW + 60_000, publish);
    expect(published).toEqual([]);

    const listed = await silence({ SKEWGUARD_TABLE: 'skewguard-ledger' }, NOW, 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+CLUSTER\s+MATCHES\s+STATE\s+UNTIL\s+BY\s+COMMENT/);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toMatch(/active .* alice\s+canary, OPS-7/);
    const json = await silence(ENV, NOW, 'list', '--cluster', 'prod', '-o', 'json');
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ id, cluster: 'prod', createdBy: 'alice', active: true }),
    ]);

    const expired = await silence(ENV, NOW + 120_000, 'expire', id, '--by', 'bob');
    expect(expired.stdout).toBe(
      `silence ${id} of cluster prod expired; the next check notifies what still fires\n`,
    );
    await ledger.deliver('prod', evaluation([web]), NOW + 180_000, publish);
    expect(published).toEqual([web.fingerprint]);

    const again = await silence(ENV, NOW + 200_000, 'expire', id);
    expect(again.stdout).toContain('had already ended');
    const missing = await silence(ENV, NOW, 'expire', 'deadbeef');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no silence deadbeef in the table; `skewguard silence list`');
  });

  it.each([
    [['--for', '7d'], '--comment is required'],
    [
      ['--for', '7d', '--comment', 'x', '--rule', 'KubeletSkew'],
      'did you mean KubeletVersionSkew?',
    ],
    [['--for', 'soon', '--comment', 'x'], 'is not a duration such as 90s'],
    [['--for', '91d', '--comment', 'x'], 'longer than the 90d a silence may last'],
  ])('add %j fails: %s', async (args, message) => {
    const run = await silence(ENV, NOW, 'add', '--cluster', 'prod', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('names where the table name comes from when none is given', async () => {
    const run = await silence({ USER: 'alice' }, NOW, 'list');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pass --table NAME or set SKEWGUARD_TABLE');
    expect(run.stderr).toContain('aws cloudformation describe-stacks');
  });

  it('asks for --by when it cannot tell who is acting', async () => {
    const run = await silence(
      { SKEWGUARD_TABLE: 'skewguard-ledger' },
      NOW,
      'add',
      '--cluster',
      'prod',
      '--for',
      '1h',
      '--comment',
      'x',
    );
    expect(run.stderr).toContain('pass --by NAME');
  });

  it('documents the commands with examples in --help', async () => {
    let out = '';
    await runCli(['silence', '--help'], {
      stdout: (t) => {
        out += t;
      },
      stderr: () => undefined,
      now: () => NOW,
    });
    for (const command of ['add', 'list', 'expire'])
      expect(out).toContain(`skewguard silence ${command}`);
    expect(out).toContain('Kind/namespace/name');
    expect(out).toContain('LedgerTableName');
  });
});

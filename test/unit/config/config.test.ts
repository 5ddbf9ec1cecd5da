import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ConfigError, ConfigIssue } from '../../../lib/config';
import {
  CONFIG_ENV,
  CONFIG_FILE_ENV,
  CONFIG_LIST_LIMITS,
  MAX_CONFIG_BYTES,
  findCluster,
  loadConfig,
  loadConfigFromEnvironment,
  MAX_SCHEDULE_PERIOD_SECONDS,
  parseConfig,
  policyFor,
  toConfigDocument,
} from '../../../lib/config';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../../lib/rules';

const EXAMPLE = join(__dirname, '../../../examples/skewguard.config.yaml');
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard/token-AbCdEf';
const AMP_URL = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-abc123/';

/** A minimal valid document; each invalid case below breaks one thing in a copy of it. */
function valid(): Record<string, unknown> {
  return {
    clusters: [
      {
        name: 'prod',
        kubernetes: { eks: { name: 'prod', region: 'eu-west-1', grantAccess: true } },
        prometheus: { url: AMP_URL, auth: { type: 'sigv4' } },
      },
      {
        name: 'lab',
        kubernetes: { server: 'https://10.0.0.1:6443', tokenSecretArn: SECRET },
      },
    ],
  };
}

/** The ConfigError issues `parseConfig` throws for a document. */
function issuesOf(doc: unknown): readonly ConfigIssue[] {
  try {
    parseConfig(doc, 'test');
  } catch (error) {
    if ((error as Error).name !== 'ConfigError') throw error;
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

/** Sets `value` at a dotted path (numbers index arrays) in a valid document. */
function validWith(path: string, value: unknown): Record<string, unknown> {
  const doc = valid();
  const keys = path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  let node = doc as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) Reflect.deleteProperty(node, last);
  else node[last] = value;
  return doc;
}

describe('the example config', () => {
  it('passes and documents both kinds of cluster', () => {
    const config = loadConfig({ path: EXAMPLE });
    expect(config.clusters.map((c) => c.kubernetes?.kind)).toEqual(['eks', 'server']);
    expect(config.clusters[0]!.prometheus?.auth).toEqual({ type: 'sigv4', region: 'eu-central-1' });
    expect(config.clusters[1]!.kubernetes).toMatchObject({ credentials: { kind: 'token' } });
  });

  it('parses back to itself through toConfigDocument (how the Lambda receives it)', () => {
    const config = loadConfig({ path: EXAMPLE });
    expect(parseConfig(JSON.parse(JSON.stringify(toConfigDocument(config))))).toEqual(config);
  });
});

describe('normalization', () => {
  it('fills the defaults', () => {
    const config = parseConfig(valid());
    expect(config.defaults).toEqual({
      schedule: { expression: 'rate(5 minutes)', periodSeconds: 300 },
      repeatIntervalSeconds: { critical: 86400, warning: 86400, info: 86400 },
      emailMinSeverity: 'warning',
      runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
    });
    expect(config.notifications).toEqual({ emails: [], https: [] });
    expect(config.clusters[1]!.schedule).toEqual(config.defaults.schedule);
  });

  it('parses durations to seconds, per severity with the rest at 24h', () => {
    const config = parseConfig({
      ...valid(),
      defaults: {
        repeatInterval: { critical: '4h', info: '7d' },
        runbookBaseUrl: 'https://x.example/rb',
      },
    });
    expect(config.defaults.repeatIntervalSeconds).toEqual({
      critical: 14400,
      warning: 86400,
      info: 604800,
    });
    expect(config.defaults.runbookBaseUrl).toBe('https://x.example/rb/');
  });

  it.each(['rate(6 days)', 'cron(0 8 ? * MON,THU *)', 'cron(0 8 ? 1-12 MON,THU *)'])(
    'accepts %s: a run every 6 days at most is the slowest a heartbeat alarm covers',
    (schedule) => {
      const config = parseConfig(validWith('clusters.0.schedule', schedule));
      expect(config.clusters[0]!.schedule.periodSeconds).toBeLessThanOrEqual(
        MAX_SCHEDULE_PERIOD_SECONDS,
      );
    },
  );

  it.each([
    'rate(7 days)',
    'cron(0 8 ? * MON *)',
    'cron(0 8 ? * MON#1 *)',
    'cron(0 8 ? 1 MON *)',
    'cron(0 8 * 1 ? *)',
    'cron(0 8 L * ? *)',
    'cron(0 8 * * ? 2027)',
  ])('rejects %s: its runs can be a week or more apart', (schedule) => {
    expect(() => parseConfig(validWith('clusters.0.schedule', schedule))).toThrow(
      /slowest schedule allowed is every 6 days/,
    );
  });

  it('defaults an AMP workspace URL without auth to sigv4', () => {
    const config = parseConfig(validWith('clusters.0.prometheus.auth', undefined));
    expect(config.clusters[0]!.prometheus!.auth).toEqual({ type: 'sigv4', region: 'eu-west-1' });
  });

  it('resolves a cluster schedule override and the sigv4 region from the AMP URL', () => {
    const config = parseConfig(validWith('clusters.0.schedule', 'cron(0/10 * * * ? *)'));
    expect(config.clusters[0]!.schedule).toEqual({
      expression: 'cron(0/10 * * * ? *)',
      periodSeconds: 600,
    });
    expect(config.clusters[0]!.prometheus?.auth).toEqual({ type: 'sigv4', region: 'eu-west-1' });
  });
});

describe('the plan option', () => {
  it('takes a quoted minor, or a number whose two decimals survive YAML', () => {
    for (const to of ['1.34', 'v1.34', 1.34]) {
      const config = parseConfig(validWith('clusters.0.plan', { to, schedule: 'daily' }));
      expect(config.clusters[0]!.plan).toEqual({ to: 34, everySeconds: 86_400 });
    }
  });

  it('defaults to the next minor, worked out weekly', () => {
    const config = parseConfig(validWith('clusters.0.plan', {}));
    expect(config.clusters[0]!.plan).toEqual({ everySeconds: 7 * 86_400 });
    expect(config.clusters[1]!.plan).toBeUndefined();
  });

  it.each<[unknown, RegExp]>([
    [
      1.3,
      /1\.3 is ambiguous as a number \(YAML reads 1\.30 as 1\.3\); quote the minor: to: "1\.30"/,
    ],
    ['latest', /"latest" is not a Kubernetes minor; write one like to: "1\.34"/],
  ])('refuses to: %p with the fix', (to, message) => {
    const issues = issuesOf(validWith('clusters.0.plan', { to }));
    expect(issues).toEqual([expect.objectContaining({ path: 'clusters[0].plan.to' })]);
    expect(issues[0]!.message).toMatch(message);
  });

  it('names the schedules it takes', () => {
    const issues = issuesOf(validWith('clusters.0.plan', { schedule: 'hourly' }));
    expect(issues[0]).toMatchObject({ path: 'clusters[0].plan.schedule' });
    expect(issues[0]!.message).toMatch(/"hourly" is not allowed; allowed: daily, weekly/);
  });
});

describe('policyFor and findCluster', () => {
  it('builds the rules policy of one cluster', () => {
    const doc = validWith('clusters.1.rules', {
      KubeletVersionSkew: { severity: 'warning', for: '10m' },
      PodCrashLooping: { disabled: true },
    });
    (doc['clusters'] as Record<string, unknown>[])[1]!['excludedNamespaces'] = ['sandbox'];
    const config = parseConfig({
      ...doc,
      defaults: { runbookBaseUrl: 'https://runbooks.example/' },
    });
    expect(policyFor(config, 'lab')).toEqual({
      rules: {
        KubeletVersionSkew: { severity: 'warning', forSeconds: 600 },
        PodCrashLooping: { disabled: true },
      },
      runbookBaseUrl: 'https://runbooks.example/',
      excludedNamespaces: ['sandbox'],
    });
  });

  it('names the known clusters when asked for an unknown one', () => {
    const config = parseConfig(valid());
    expect(() => findCluster(config, 'stage')).toThrow(
      /no cluster is named "stage"; known clusters: prod, lab/,
    );
  });
});

describe('strict validation: each problem names the path, the value and what is allowed', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      'an unknown top-level key',
      { ...valid(), cluster: [] },
      'cluster',
      /unknown key; allowed keys: defaults, notifications, clusters/,
    ],
    [
      'an unknown nested key',
      validWith('clusters.0.prometheus.urll', 'x'),
      'clusters[0].prometheus.urll',
      /unknown key; allowed keys: url, auth, selector, caSecretArn/,
    ],
    [
      'an unknown rule id',
      validWith('clusters.0.rules', { KubeletSkew: {} }),
      'clusters[0].rules.KubeletSkew',
      /^unknown rule id KubeletSkew; did you mean KubeletVersionSkew\? `skewguard rules` lists them all$/,
    ],
    [
      'an unknown key in a rule override',
      validWith('clusters.0.rules', { KubeletVersionSkew: { level: 'x' } }),
      'clusters[0].rules.KubeletVersionSkew.level',
      /allowed keys: severity, for, disabled/,
    ],
    [
      'a cluster with no source',
      validWith('clusters.1.kubernetes', undefined),
      'clusters[1]',
      /no source; add kubernetes/,
    ],
    [
      'kubernetes with neither eks nor server',
      validWith('clusters.1.kubernetes', { tokenSecretArn: SECRET }),
      'clusters[1].kubernetes',
      /needs either eks/,
    ],
    [
      'eks and server together',
      validWith('clusters.0.kubernetes.server', 'https://x.example'),
      'clusters[0].kubernetes.server',
      /exclude each other/,
    ],
    [
      'a token on an EKS cluster',
      validWith('clusters.0.kubernetes.tokenSecretArn', SECRET),
      'clusters[0].kubernetes.tokenSecretArn',
      /applies to server: clusters only/,
    ],
    [
      'a server without credentials',
      validWith('clusters.1.kubernetes.tokenSecretArn', undefined),
      'clusters[1].kubernetes',
      /tokenSecretArn .* or kubeconfigSecretArn/,
    ],
    [
      'token and kubeconfig together',
      validWith('clusters.1.kubernetes.kubeconfigSecretArn', SECRET),
      'clusters[1].kubernetes.kubeconfigSecretArn',
      /exclude each other/,
    ],
    [
      'a CA secret with a kubeconfig',
      {
        clusters: [
          {
            name: 'x',
            kubernetes: {
              server: 'https://x.example',
              kubeconfigSecretArn: SECRET,
              caSecretArn: SECRET,
            },
          },
        ],
      },
      'clusters[0].kubernetes.caSecretArn',
      /kubeconfig carries its own CA/,
    ],
    [
      'grantAccess missing',
      validWith('clusters.0.kubernetes.eks.grantAccess', undefined),
      'clusters[0].kubernetes.eks.grantAccess',
      /is required \(true or false\)/,
    ],
    [
      'accessPolicy without grantAccess',
      validWith('clusters.0.kubernetes.eks', {
        name: 'p',
        region: 'eu-west-1',
        grantAccess: false,
        accessPolicy: 'view',
      }),
      'clusters[0].kubernetes.eks.accessPolicy',
      /only with grantAccess: true/,
    ],
    [
      'an unknown accessPolicy',
      validWith('clusters.0.kubernetes.eks.accessPolicy', 'admin'),
      'clusters[0].kubernetes.eks.accessPolicy',
      /"admin" is not allowed; allowed: view/,
    ],
    [
      'a malformed secret ARN',
      validWith('clusters.1.kubernetes.tokenSecretArn', 'arn:aws:s3:::bucket'),
      'clusters[1].kubernetes.tokenSecretArn',
      /"arn:aws:s3:::bucket" is not a Secrets Manager secret ARN; expected .*secretsmanager/,
    ],
    [
      'a malformed prometheus secret ARN',
      validWith('clusters.0.prometheus', {
        url: 'https://p.example',
        auth: { type: 'bearer', secretArn: 'token' },
      }),
      'clusters[0].prometheus.auth.secretArn',
      /"token" is not a Secrets Manager secret ARN/,
    ],
    [
      'a missing secret for basic auth',
      validWith('clusters.0.prometheus', { url: 'https://p.example', auth: { type: 'basic' } }),
      'clusters[0].prometheus.auth.secretArn',
      /is required/,
    ],
    [
      'an unknown auth type',
      validWith('clusters.0.prometheus.auth', { type: 'oauth' }),
      'clusters[0].prometheus.auth.type',
      /"oauth" is not allowed; allowed: none, basic, bearer, sigv4/,
    ],
    [
      'a malformed URL',
      validWith('clusters.0.prometheus.url', 'prometheus:9090'),
      'clusters[0].prometheus.url',
      /"prometheus:9090" is not a Prometheus URL/,
    ],
    [
      'an http API server',
      validWith('clusters.1.kubernetes.server', 'http://10.0.0.1:6443'),
      'clusters[1].kubernetes.server',
      /is not an API server URL; expected https:\/\/host/,
    ],
    [
      'sigv4 on a non-AMP URL',
      validWith('clusters.0.prometheus.url', 'https://prometheus.example'),
      'clusters[0].prometheus.url',
      /not an Amazon Managed Prometheus query URL/,
    ],
    [
      'a sigv4 region that differs from the URL',
      validWith('clusters.0.prometheus.auth.region', 'us-east-1'),
      'clusters[0].prometheus.auth.region',
      /differs from the workspace's region eu-west-1/,
    ],
    [
      'credentials over plain http',
      validWith('clusters.0.prometheus', {
        url: 'http://p.example',
        auth: { type: 'bearer', secretArn: SECRET },
      }),
      'clusters[0].prometheus.url',
      /plain http, so bearer credentials would travel unencrypted/,
    ],
    [
      'a malformed selector',
      validWith('clusters.0.prometheus.selector', 'cluster=prod'),
      'clusters[0].prometheus.selector',
      /"cluster=prod" is not label matchers/,
    ],
    [
      'a malformed region',
      validWith('clusters.0.kubernetes.eks.region', 'Frankfurt'),
      'clusters[0].kubernetes.eks.region',
      /"Frankfurt" is not an AWS region/,
    ],
    [
      'duplicate cluster names',
      validWith('clusters.1.name', 'prod'),
      'clusters[1].name',
      /"prod" is already the name of clusters\[0\]; cluster names must be unique/,
    ],
    [
      'a cluster name with a slash',
      validWith('clusters.1.name', 'team/lab'),
      'clusters[1].name',
      /"team\/lab" is not a cluster name/,
    ],
    [
      'a bad duration',
      validWith('clusters.0.rules', { KubeletVersionSkew: { for: '10 minutes' } }),
      'clusters[0].rules.KubeletVersionSkew.for',
      /"10 minutes" is not a duration such as 90s, 10m/,
    ],
    [
      'a bad severity',
      validWith('clusters.0.rules', { KubeletVersionSkew: { severity: 'high' } }),
      'clusters[0].rules.KubeletVersionSkew.severity',
      /"high" is not allowed; allowed: critical, warning, info/,
    ],
    [
      'a bad schedule',
      validWith('clusters.0.schedule', 'every 5 minutes'),
      'clusters[0].schedule',
      /"every 5 minutes": not a schedule expression; expected rate/,
    ],
    [
      'a rate with the wrong plural',
      validWith('clusters.0.schedule', 'rate(1 minutes)'),
      'clusters[0].schedule',
      /use the singular: rate\(1 minute\)/,
    ],
    [
      'a cron with 5 fields',
      validWith('clusters.0.schedule', 'cron(0 * * * *)'),
      'clusters[0].schedule',
      /5 cron fields; Scheduler cron takes 6/,
    ],
    [
      'a cron with both day fields',
      validWith('clusters.0.schedule', 'cron(0 8 * * * *)'),
      'clusters[0].schedule',
      /exactly one of day-of-month and day-of-week must be "\?"/,
    ],
    [
      'a one-time schedule',
      validWith('clusters.0.schedule', 'at(2030-01-01T00:00:00)'),
      'clusters[0].schedule',
      /one-time at\(\.\.\.\) schedules run once/,
    ],
    [
      'an unknown time zone',
      { ...valid(), defaults: { timezone: 'Mars/Olympus' } },
      'defaults.timezone',
      /"Mars\/Olympus" is not an IANA time zone/,
    ],
    [
      'a zero repeat interval',
      { ...valid(), defaults: { repeatInterval: '0' } },
      'defaults.repeatInterval',
      /must be longer than 0/,
    ],
    [
      'a bad per-severity repeat interval',
      { ...valid(), defaults: { repeatInterval: { critical: '4x' } } },
      'defaults.repeatInterval.critical',
      /"4x" is not a duration/,
    ],
    [
      'an unknown severity in repeatInterval',
      { ...valid(), defaults: { repeatInterval: { urgent: '1h' } } },
      'defaults.repeatInterval.urgent',
      /unknown key; allowed keys: critical, warning, info/,
    ],
    [
      'a bad email',
      { ...valid(), notifications: { emails: ['ops@'] } },
      'notifications.emails[0]',
      /"ops@" is not an email address/,
    ],
    [
      'a duplicate email',
      { ...valid(), notifications: { emails: ['a@example.com', 'a@example.com'] } },
      'notifications.emails[1]',
      /listed twice \(also at index 0\)/,
    ],
    [
      'an http endpoint',
      {
        ...valid(),
        notifications: {
          https: [{ url: 'http://hook.example', severities: ['critical'], audience: 'machine' }],
        },
      },
      'notifications.https[0].url',
      /is not an HTTPS URL/,
    ],
    [
      'an endpoint without severities',
      {
        ...valid(),
        notifications: {
          https: [{ url: 'https://hook.example', severities: [], audience: 'machine' }],
        },
      },
      'notifications.https[0].severities',
      /must list at least 1/,
    ],
    [
      'an unknown audience',
      {
        ...valid(),
        notifications: {
          https: [{ url: 'https://hook.example', severities: ['critical'], audience: 'robots' }],
        },
      },
      'notifications.https[0].audience',
      /"robots" is not allowed; allowed: machine, chat, human/,
    ],
    [
      'a malformed topic ARN',
      { ...valid(), notifications: { topicArn: 'arn:aws:sns:eu-west-1:123:alerts' } },
      'notifications.topicArn',
      /is not a standard SNS topic ARN/,
    ],
    [
      'a topic key without a topic',
      {
        ...valid(),
        notifications: {
          topicKeyArn:
            'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
      },
      'notifications.topicKeyArn',
      /applies only with topicArn/,
    ],
    [
      'a malformed subnet id',
      validWith('clusters.1.vpc', {
        subnetIds: ['10.0.0.0/24'],
        securityGroupIds: ['sg-0123456789abcdef0'],
      }),
      'clusters[1].vpc.subnetIds[0]',
      /"10.0.0.0\/24" is not a subnet id/,
    ],
    [
      'a VPC without security groups',
      validWith('clusters.1.vpc', {
        subnetIds: ['subnet-0123456789abcdef0'],
        securityGroupIds: [],
      }),
      'clusters[1].vpc.securityGroupIds',
      /must list at least 1/,
    ],
    [
      'a wrong type',
      validWith('clusters.0.kubernetes.eks.grantAccess', 'yes'),
      'clusters[0].kubernetes.eks.grantAccess',
      /"yes" is not true or false/,
    ],
    ['no clusters', { clusters: [] }, 'clusters', /must list at least 1/],
    [
      'a secret ARN without the 6-character suffix',
      validWith(
        'clusters.1.kubernetes.tokenSecretArn',
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard/token',
      ),
      'clusters[1].kubernetes.tokenSecretArn',
      /"arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard\/token" lacks the 6-character suffix .* copy the complete ARN that `aws secretsmanager create-secret` printed/,
    ],
    [
      'a secret ARN whose suffix is too short',
      validWith(
        'clusters.1.kubernetes.tokenSecretArn',
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard/token-AbCd',
      ),
      'clusters[1].kubernetes.tokenSecretArn',
      /lacks the 6-character suffix/,
    ],
    [
      'basic auth on an AMP workspace URL',
      validWith('clusters.0.prometheus.auth', { type: 'basic', secretArn: SECRET }),
      'clusters[0].prometheus.auth.type',
      /"basic" cannot query an Amazon Managed Prometheus workspace: AMP accepts only SigV4-signed requests.*use auth: \{type: sigv4\} or leave auth out/,
    ],
    [
      'no auth on an AMP workspace URL',
      validWith('clusters.0.prometheus.auth', { type: 'none' }),
      'clusters[0].prometheus.auth.type',
      /"none" cannot query an Amazon Managed Prometheus workspace/,
    ],
    [
      'bearer auth on an AMP workspace URL',
      validWith('clusters.0.prometheus.auth', { type: 'bearer', secretArn: SECRET }),
      'clusters[0].prometheus.auth.type',
      /"bearer" cannot query an Amazon Managed Prometheus workspace/,
    ],
    [
      'a schedule slower than weekly',
      validWith('clusters.0.schedule', 'rate(8 days)'),
      'clusters[0].schedule',
      /"rate\(8 days\)": runs only every 8 days, but the heartbeat alarm can look back at most 7 days .* the slowest schedule allowed is every 6 days/,
    ],
    [
      'a monthly cron default schedule',
      { ...valid(), defaults: { schedule: 'cron(0 8 1 * ? *)' } },
      'defaults.schedule',
      /runs only every 31 days.*slowest schedule allowed is every 6 days/,
    ],
  ])('rejects %s', (_what, doc, path, message) => {
    const issues = issuesOf(doc);
    const issue = issues.find((i) => i.path === path);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('reports every problem at once, not just the first', () => {
    const doc = validWith('clusters.1.name', 'prod');
    (doc['clusters'] as Record<string, unknown>[])[0]!['prometheus'] = {
      url: 'nope',
      auth: { type: 'x' },
    };
    doc['defaults'] = { schedule: 'sometimes' };
    const paths = issuesOf(doc).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'defaults.schedule',
        'clusters[0].prometheus.url',
        'clusters[0].prometheus.auth.type',
        'clusters[1].name',
      ]),
    );
  });

  it('says where in the YAML file each problem is, and names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'clusters:',
        '  - name: prod',
        '    prometheus:',
        '      url: https://p.example',
        '      auth:',
        '        type: bearer',
        '        secretArn: arn:aws:sns:eu-west-1:123456789012:topic',
      ].join('\n'),
    );
    expect(() => loadConfig({ path: file })).toThrow(
      `skewguard config ${file} has 1 problem:\n  - clusters[0].prometheus.auth.secretArn (line 7): "arn:aws:sns:eu-west-1:123456789012:topic" is not a Secrets Manager secret ARN`,
    );
  });

  it('rejects invalid YAML and duplicate keys with the line', () => {
    expect(() =>
      loadConfig({ text: 'clusters:\n  - name: a\n    name: b\n', name: 'dup.yaml' }),
    ).toThrow(
      /dup.yaml has 1 problem:\n {2}- \(root\) \(line 3\): not valid YAML: Map keys must be unique/,
    );
  });

  it('names a missing config file and how to pass another', () => {
    expect(() => loadConfig({ path: '/nonexistent/skewguard.config.yaml' })).toThrow(
      /the file does not exist; pass an existing file \(cdk: -c config=FILE, CLI: --config FILE\)/,
    );
  });

  it('names a folder given as the config file', () => {
    expect(() => loadConfig({ path: tmpdir() })).toThrow(
      /has 1 problem:\n {2}- \(root\): the file is a folder; pass an existing file/,
    );
  });

  it('rejects an empty document', () => {
    expect(() => loadConfig({ text: '', name: 'empty.yaml' })).toThrow(/the config is empty/);
  });

  it.each([
    [AMP_URL, { type: 'sigv4', region: 'eu-west-1' }],
    ['http://prometheus.monitoring:9090', { type: 'none' }],
  ])('defaults the auth of Prometheus at %s', (url, auth) => {
    const config = parseConfig(validWith('clusters.0.prometheus', { url }));
    expect(config.clusters[0]?.prometheus?.auth).toEqual(auth);
  });
});

describe('loadConfigFromEnvironment (the Lambda)', () => {
  const json = JSON.stringify(valid());

  it('reads SKEWGUARD_CONFIG', () => {
    expect(loadConfigFromEnvironment({ [CONFIG_ENV]: json }).clusters.map((c) => c.name)).toEqual([
      'prod',
      'lab',
    ]);
  });

  it('reads the file SKEWGUARD_CONFIG_FILE names, relative to the function code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-task-'));
    writeFileSync(join(dir, 'skewguard.config.json'), json);
    const env = { [CONFIG_FILE_ENV]: 'skewguard.config.json', LAMBDA_TASK_ROOT: dir };
    expect(loadConfigFromEnvironment(env).clusters).toHaveLength(2);
  });

  it('names both variables when neither is set', () => {
    expect(() => loadConfigFromEnvironment({})).toThrow(
      /neither SKEWGUARD_CONFIG nor SKEWGUARD_CONFIG_FILE is set/,
    );
  });

  it('names the variable when its JSON is broken', () => {
    expect(() => loadConfigFromEnvironment({ [CONFIG_ENV]: '{"clusters": [' })).toThrow(
      /skewguard config SKEWGUARD_CONFIG has 1 problem:\n {2}- \(root\): not valid JSON/,
    );
  });
});

describe('unknown rule ids suggest the nearest ids', () => {
  it('names each unknown id with its own hint, beside a bad override of a known rule', () => {
    expect(
      issuesOf(
        validWith('clusters.0.rules', {
          KubeletSkew: {},
          Foo: {},
          KubeletVersionSkew: { severity: 'nope' },
        }),
      ).map((i) => `${i.path}: ${i.message}`),
    ).toEqual([
      'clusters[0].rules.KubeletVersionSkew.severity: "nope" is not allowed; allowed: critical, warning, info',
      'clusters[0].rules.KubeletSkew: unknown rule id KubeletSkew; did you mean KubeletVersionSkew? `skewguard rules` lists them all',
      'clusters[0].rules.Foo: unknown rule id Foo; `skewguard rules` lists them all',
    ]);
  });
});

describe('config size', () => {
  it('refuses a file over the size limit before reading it, naming the limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-config-'));
    const path = join(dir, 'huge.yaml');
    // 6.5 MB of comments: valid YAML that would otherwise be bundled into every cold start.
    writeFileSync(path, `# ${'x'.repeat(6.5 * 1024 * 1024)}\nclusters: []\n`);
    expect(() => loadConfig({ path })).toThrow(
      /the config is 6\.5 MB, over the 1 MB limit; it is bundled into every cold start/,
    );
    expect(MAX_CONFIG_BYTES).toBe(1024 * 1024);
  });

  it('refuses text over the limit the same way', () => {
    expect(() => loadConfig({ text: ' '.repeat(MAX_CONFIG_BYTES + 1), name: 'big' })).toThrow(
      /over the 1 MB limit/,
    );
  });

  it.each<[string, string, unknown[], RegExp]>([
    [
      'emails',
      'notifications.emails',
      Array.from({ length: 51 }, (_, i) => `p${i}@example.com`),
      /51 entries; emails takes at most 50 \(use a mailing list/,
    ],
    [
      'subnets',
      'clusters.1.vpc',
      {
        subnetIds: Array.from({ length: 17 }, (_, i) => `subnet-0000000${i.toString(16)}`),
        securityGroupIds: ['sg-01234567'],
      },
      /17 entries; subnetIds takes at most 16 \(Lambda's limit per function\)/,
    ],
  ] as unknown as [string, string, unknown[], RegExp][])(
    'refuses too many %s with the limit',
    (_what, path, value, message) => {
      const doc = path.startsWith('notifications')
        ? { ...valid(), notifications: { emails: value } }
        : validWith(path, value);
      const issues = issuesOf(doc);
      expect(issues.map((i) => i.message).join('\n')).toMatch(message);
    },
  );

  it('has a limit for each list that grows with the fleet', () => {
    expect(CONFIG_LIST_LIMITS.clusters).toBeGreaterThanOrEqual(300);
  });
});

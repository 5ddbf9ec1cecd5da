import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE_ENV, parseConfig } from '../../../lib/config';
import { BUNDLED_CONFIG_PATH } from '../../../lib/infra';
import { policyCharsOf } from '../../../lib/infra/permissions';
import {
  MAX_CLUSTERS_PER_FUNCTION,
  MAX_POLICY_CHARS_PER_FUNCTION,
} from '../../../lib/infra/placement';
import type { Synthesized } from './support';
import {
  IAM_INLINE_POLICY_CHARS_PER_ROLE,
  IAM_MANAGED_POLICY_CHARS,
  ampUrl,
  rolePolicySizes,
  synth,
} from './support';

const FLEET_SIZE = 300;
const CLOUDFORMATION_RESOURCE_LIMIT = 500;
const CLOUDFORMATION_PARAMETER_LIMIT = 200;
const CLOUDFORMATION_TEMPLATE_BYTES = 1_000_000; // templates deployed from S3

/** The worst case per cluster: a schedule and an EKS access entry each. */
const fleet = {
  notifications: { emails: ['ops@example.com'] },
  clusters: Array.from({ length: FLEET_SIZE }, (_, i) => ({
    name: `cluster-${String(i).padStart(3, '0')}`,
    kubernetes: { eks: { name: `eks-${i}`, region: 'eu-west-1', grantAccess: true } },
    prometheus: {
      url: ampUrl(`ws-${i}`),
      auth: { type: 'sigv4' },
      selector: `cluster="cluster-${i}"`,
    },
  })),
};

let s: Synthesized;
beforeAll(() => {
  s = synth(fleet);
});

describe(`a fleet of ${FLEET_SIZE} clusters`, () => {
  it('synthesizes with every stack under CloudFormation’s resource, parameter and size limits', () => {
    const counts: Record<string, number> = {};
    for (const [name, template] of [
      [s.stack.stackName, s.template] as const,
      ...s.clusterTemplates.map(
        (t, i) => [s.stack.skewguard.clusterStacks[i]!.node.id, t] as const,
      ),
    ]) {
      const json = template.toJSON() as { Resources: object; Parameters?: object };
      counts[name] = Object.keys(json.Resources).length;
      expect(Object.keys(json.Parameters ?? {}).length).toBeLessThanOrEqual(
        CLOUDFORMATION_PARAMETER_LIMIT,
      );
      expect(JSON.stringify(json).length).toBeLessThan(CLOUDFORMATION_TEMPLATE_BYTES);
    }
    for (const count of Object.values(counts))
      expect(count).toBeLessThanOrEqual(CLOUDFORMATION_RESOURCE_LIMIT);
    const nested = Object.values(counts)
      .slice(1)
      .reduce((a, b) => a + b, 0);
    expect(nested).toBe(2 * FLEET_SIZE);
    process.stdout.write(
      `resources per stack for ${FLEET_SIZE} clusters: ${JSON.stringify(counts)}\n`,
    );
  });

  it('has one schedule and access entry per cluster, and no alarm per cluster', () => {
    const count = (type: string) =>
      s.clusterTemplates.reduce((n, t) => n + Object.keys(t.findResources(type)).length, 0);
    expect(count('AWS::Scheduler::Schedule')).toBe(FLEET_SIZE);
    expect(count('AWS::CloudWatch::Alarm')).toBe(0);
    expect(count('AWS::EKS::AccessEntry')).toBe(FLEET_SIZE);
  });

  it('bundles each function’s share of the config as a file when it is too large for the environment', () => {
    const functions = Object.entries(s.template.findResources('AWS::Lambda::Function'));
    const checked: string[] = [];
    for (const [fnId, fn] of functions) {
      const variables = (fn.Properties as { Environment: { Variables: Record<string, unknown> } })
        .Environment.Variables;
      // Email only: no chat messages to publish.
      expect(variables).toMatchObject({
        [CONFIG_FILE_ENV]: BUNDLED_CONFIG_PATH,
        SKEWGUARD_CHAT_SUBSCRIBED: 'false',
      });
      expect(variables).not.toHaveProperty('SKEWGUARD_CONFIG');
      expect(JSON.stringify(variables).length).toBeLessThan(4096);
      // The staged asset directory is named after the zip the template points at.
      const s3Key = (fn.Properties as { Code: { S3Key: string } }).Code.S3Key;
      const assetDir = join(s.app.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
      const bundled = readFileSync(join(assetDir, 'skewguard.config.json'), 'utf8');
      const names = parseConfig(JSON.parse(bundled)).clusters.map((c) => c.name);
      expect(names.length).toBeLessThanOrEqual(MAX_CLUSTERS_PER_FUNCTION);
      checked.push(...names);
      expect(fnId).toMatch(/Check/);
    }
    // As many clusters per function as the role's policy budget allows (the clusters are alike;
    // those of one region share the add-on ARN, so the budget is counted over a group).
    const alike = parseConfig(fleet).clusters;
    let perFunction = 1;
    while (
      perFunction < MAX_CLUSTERS_PER_FUNCTION &&
      policyCharsOf(alike.slice(0, perFunction + 1)) <= MAX_POLICY_CHARS_PER_FUNCTION
    )
      perFunction += 1;
    expect(functions.length).toBe(Math.ceil(FLEET_SIZE / perFunction));
    // Every cluster is checked by exactly one function.
    expect(checked.sort()).toEqual(fleet.clusters.map((c) => c.name).sort());
  });

  it('keeps every check role’s policies under IAM’s size limits once deployed', () => {
    expectPoliciesWithinIamLimits(s);
  });
});

/** A cluster reached with four secrets of long names: the most policy text one cluster can need. */
function secretHeavyCluster(i: number): unknown {
  const arn = (what: string) =>
    `arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard/${'platform-team/'.repeat(4)}cluster-${i}/${what}-AbCdEf`;
  return {
    name: `lab-${String(i).padStart(3, '0')}`,
    kubernetes: {
      server: `https://10.0.${Math.floor(i / 250)}.${i % 250}:6443`,
      tokenSecretArn: arn('token'),
      caSecretArn: arn('ca'),
    },
    prometheus: {
      url: `https://prometheus-${i}.example.internal`,
      auth: { type: 'basic', secretArn: arn('prometheus') },
      caSecretArn: arn('prometheus-ca'),
    },
  };
}

describe(`a fleet of ${FLEET_SIZE} clusters with four long secret ARNs each`, () => {
  it('splits into more functions so every role’s policies stay under IAM’s size limits', () => {
    const heavy = synth({
      clusters: Array.from({ length: FLEET_SIZE }, (_, i) => secretHeavyCluster(i)),
    });
    const functions = heavy.stack.skewguard.checkFunctions;
    expect(functions.length).toBeGreaterThan(Math.ceil(FLEET_SIZE / MAX_CLUSTERS_PER_FUNCTION));
    expect(functions.reduce((n, f) => n + f.clusterNames.length, 0)).toBe(FLEET_SIZE);
    expectPoliciesWithinIamLimits(heavy);
  });
});

/** Every role's inline policies together and each managed policy, resolved, fit IAM's limits. */
function expectPoliciesWithinIamLimits(synthesized: Synthesized): void {
  const sizes = rolePolicySizes(synthesized.template);
  const checkRoles = Object.keys(sizes).filter((id) => /Check.*Role/.test(id));
  expect(checkRoles.length).toBe(synthesized.stack.skewguard.checkFunctions.length);
  for (const size of Object.values(sizes)) {
    expect(size.inline).toBeLessThanOrEqual(IAM_INLINE_POLICY_CHARS_PER_ROLE);
    for (const managed of size.managed)
      expect(managed).toBeLessThanOrEqual(IAM_MANAGED_POLICY_CHARS);
  }
  // CDK splits into overflow managed policies only past its own estimate; none should be needed.
  expect(Object.keys(synthesized.template.findResources('AWS::IAM::ManagedPolicy'))).toEqual([]);
  process.stdout.write(
    `largest resolved inline policy per role: ${Math.max(...checkRoles.map((r) => sizes[r]!.inline))} characters\n`,
  );
}

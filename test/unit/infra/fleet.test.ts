import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE_ENV, parseConfig } from '../../../lib/config';
import { BUNDLED_CONFIG_PATH } from '../../../lib/infra';
import type { Synthesized } from './support';
import { ampUrl, synth } from './support';

const FLEET_SIZE = 300;
const CLOUDFORMATION_RESOURCE_LIMIT = 500;
const CLOUDFORMATION_PARAMETER_LIMIT = 200;
const CLOUDFORMATION_TEMPLATE_BYTES = 1_000_000; // templates deployed from S3

/** The worst case per cluster: schedule, heartbeat alarm and an EKS access entry each. */
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
    expect(nested).toBe(3 * FLEET_SIZE);
    process.stdout.write(
      `resources per stack for ${FLEET_SIZE} clusters: ${JSON.stringify(counts)}\n`,
    );
  });

  it('has one schedule, heartbeat and access entry per cluster', () => {
    const count = (type: string) =>
      s.clusterTemplates.reduce((n, t) => n + Object.keys(t.findResources(type)).length, 0);
    expect(count('AWS::Scheduler::Schedule')).toBe(FLEET_SIZE);
    expect(count('AWS::CloudWatch::Alarm')).toBe(FLEET_SIZE);
    expect(count('AWS::EKS::AccessEntry')).toBe(FLEET_SIZE);
  });

  it('bundles the config as a file when it is too large for the environment', () => {
    const [fnId, fn] = Object.entries(s.template.findResources('AWS::Lambda::Function'))[0]!;
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
    expect(parseConfig(JSON.parse(bundled)).clusters).toHaveLength(FLEET_SIZE);
    expect(fnId).toMatch(/Check/);
  });
});

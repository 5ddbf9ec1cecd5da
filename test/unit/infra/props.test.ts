import { App, Duration } from 'aws-cdk-lib';
import { parseConfig } from '../../../lib/config';
import type { SkewguardStackProps } from '../../../lib/infra';
import { SkewguardStack, heartbeatWindow } from '../../../lib/infra';
import { TEST_ENTRY } from './support';

const ONE_CLUSTER = {
  clusters: [
    { name: 'a', kubernetes: { eks: { name: 'a', region: 'eu-west-1', grantAccess: true } } },
  ],
};

/** Constructs (without synthesizing) a stack; the constructor is where bad props are rejected. */
function build(
  props: Partial<SkewguardStackProps>,
  document: unknown = ONE_CLUSTER,
): SkewguardStack {
  return new SkewguardStack(new App(), 'Test', {
    entry: TEST_ENTRY,
    config: parseConfig(document),
    ...props,
  });
}

describe('bad props are rejected in the constructor, naming the prop', () => {
  it.each<[string, Partial<SkewguardStackProps>, RegExp]>([
    [
      'a missing entry',
      { entry: '/nowhere/index.ts' },
      /entry \/nowhere\/index.ts does not exist; pass the check handler's source file as the entry prop/,
    ],
    ['too little memory', { memorySize: 64 }, /memorySize 64 is outside Lambda's 128–10240 MB/],
    [
      "a timeout over Lambda's limit",
      { timeout: Duration.minutes(20) },
      /timeout 1200s is outside Lambda's 1–900 s/,
    ],
    [
      'a timeout longer than the schedule period',
      { timeout: Duration.minutes(6) },
      /timeout 360s is longer than the shortest schedule period \(300s\)/,
    ],
    [
      'no cluster stacks',
      { clusterStackCount: 0 },
      /clusterStackCount 0 must be a whole number from 1 to 50/,
    ],
    [
      'zero missed runs',
      { heartbeatMissedRuns: 0 },
      /heartbeatMissedRuns 0 must be a whole number from 1 to 10/,
    ],
    [
      'an inline config too large for Lambda',
      { maxInlineConfigBytes: 4096 },
      /maxInlineConfigBytes 4096 must be 0–3500/,
    ],
  ])('%s', (_what, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  it('rejects a fleet too large for its nested stacks, naming clusterStackCount', () => {
    const clusters = Array.from({ length: 250 }, (_, i) => ({
      name: `c${i}`,
      kubernetes: { eks: { name: `c${i}`, region: 'eu-west-1', grantAccess: true } },
    }));
    expect(() => build({ clusterStackCount: 1 }, { clusters })).toThrow(
      /with clusterStackCount 1, one nested stack would hold 250 clusters .*; raise clusterStackCount/,
    );
  });

  it('rejects grantAccess clusters in several regions', () => {
    const clusters = [
      { name: 'a', kubernetes: { eks: { name: 'a', region: 'eu-west-1', grantAccess: true } } },
      { name: 'b', kubernetes: { eks: { name: 'b', region: 'us-east-1', grantAccess: true } } },
    ];
    expect(() => build({}, { clusters })).toThrow(
      /grantAccess: true needs every such EKS cluster in the stack's region, but they span eu-west-1, us-east-1 \(eu-west-1: clusters\[0\] a; us-east-1: clusters\[1\] b\)/,
    );
  });

  it('rejects grantAccess for a cluster outside a known stack region', () => {
    expect(() => build({ env: { region: 'us-east-1' } })).toThrow(
      /clusters\[0\] a use grantAccess: true in eu-west-1, but the stack deploys to us-east-1/,
    );
  });
});

describe('heartbeat windows stay within CloudWatch limits', () => {
  it.each([
    [60, 3, { periodSeconds: 60, evaluationPeriods: 3 }],
    [300, 3, { periodSeconds: 300, evaluationPeriods: 3 }],
    [1800, 10, { periodSeconds: 1800, evaluationPeriods: 10 }],
    [3600, 3, { periodSeconds: 3600, evaluationPeriods: 3 }],
    [86400, 3, { periodSeconds: 86400, evaluationPeriods: 3 }],
    // Every 6 days, the slowest allowed: day-long periods, capped at CloudWatch's 7 days.
    [518400, 3, { periodSeconds: 86400, evaluationPeriods: 7 }],
  ])('a run every %is, alarm after %i missed runs', (period, missed, window) => {
    const result = heartbeatWindow(period, missed);
    expect(result).toEqual(window);
    const limit = result.periodSeconds < 3600 ? 86400 : 604800;
    expect(result.periodSeconds * result.evaluationPeriods).toBeLessThanOrEqual(limit);
  });
});

describe('heartbeat windows for schedules slower than every 6 days', () => {
  it('are refused: one alarm cannot span the gap plus a day, so it would fire between runs', () => {
    expect(() => heartbeatWindow(7 * 86400, 3)).toThrow(/leaves no day of slack/);
    expect(heartbeatWindow(6 * 86400, 3)).toEqual({ periodSeconds: 86400, evaluationPeriods: 7 });
  });
});

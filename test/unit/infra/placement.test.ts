import type { ClusterConfig } from '../../../lib/config';
import { parseConfig } from '../../../lib/config';
import { policyCharsOf } from '../../../lib/infra/permissions';
import {
  MAX_CLUSTERS_PER_FUNCTION,
  MAX_POLICY_CHARS_PER_FUNCTION,
  groupByPlacement,
} from '../../../lib/infra/placement';
import { ampUrl, secretArn } from './support';

const VPC = { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] };

/** `count` EKS clusters with an AMP workspace each, the `vpc` ones inside the VPC. */
function clusters(
  count: number,
  vpc: (i: number) => boolean = () => false,
): readonly ClusterConfig[] {
  return parseConfig({
    clusters: Array.from({ length: count }, (_, i) => ({
      name: `c${i}`,
      kubernetes: { eks: { name: `eks-${i}`, region: 'eu-west-1', grantAccess: false } },
      prometheus: { url: ampUrl(`ws-${i}`) },
      ...(vpc(i) ? { vpc: VPC } : {}),
    })),
  }).clusters;
}

const names = (list: readonly ClusterConfig[]) => list.map((c) => c.name);

describe('groupByPlacement', () => {
  it('keeps one function per placement, with the ids small deployments always had', () => {
    const groups = groupByPlacement(clusters(4, (i) => i % 2 === 1));
    expect(groups.map((g) => g.id)).toEqual([
      'Check',
      expect.stringMatching(/^CheckVpc[0-9a-f]{8}$/),
    ]);
    expect(groups.map((g) => names(g.clusters))).toEqual([
      ['c0', 'c2'],
      ['c1', 'c3'],
    ]);
  });

  it('splits a large placement in config order into parts within the policy budget', () => {
    const all = clusters(100);
    const groups = groupByPlacement(all);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.map((g) => g.id)).toEqual([
      'Check',
      ...groups.slice(1).map((_, i) => `CheckPart${i + 2}`),
    ]);
    expect(groups.flatMap((g) => names(g.clusters))).toEqual(names(all));
    for (const group of groups) {
      expect(group.clusters.length).toBeLessThanOrEqual(MAX_CLUSTERS_PER_FUNCTION);
      expect(policyCharsOf(group.clusters)).toBeLessThanOrEqual(MAX_POLICY_CHARS_PER_FUNCTION);
    }
  });

  it('splits each VPC placement on its own, suffixing its id', () => {
    const groups = groupByPlacement(clusters(120, (i) => i >= 20));
    const vpcIds = groups.filter((g) => g.vpc).map((g) => g.id);
    expect(groups[0]).toMatchObject({ id: 'Check' });
    expect(groups[0]!.clusters).toHaveLength(20);
    expect(vpcIds[1]).toBe(`${vpcIds[0]}Part2`);
  });

  it('never moves a cluster to another function when clusters are appended', () => {
    const before = groupByPlacement(clusters(60));
    const after = groupByPlacement(clusters(61));
    for (const [i, group] of before.entries()) {
      expect(after[i]!.id).toBe(group.id);
      expect(names(after[i]!.clusters).slice(0, group.clusters.length)).toEqual(
        names(group.clusters),
      );
    }
  });

  it('caps the cluster count even when clusters name few resources', () => {
    const plain = parseConfig({
      clusters: Array.from({ length: 90 }, (_, i) => ({
        name: `p${i}`,
        prometheus: { url: `https://prom-${i}.example.com` },
      })),
    }).clusters;
    expect(groupByPlacement(plain).map((g) => g.clusters.length)).toEqual([40, 40, 10]);
  });

  it('counts shared secrets once and measures them by their length', () => {
    const shared = secretArn('shared');
    const doc = (i: number) => ({
      name: `s${i}`,
      kubernetes: { server: 'https://k8s.example.com', tokenSecretArn: shared },
    });
    const list = parseConfig({ clusters: [doc(0), doc(1)] }).clusters;
    expect(policyCharsOf(list)).toBe(shared.length + 3);
  });
});

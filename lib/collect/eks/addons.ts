/** The EKS managed add-ons of a cluster and the versions EKS offers for its minor and the next (ListAddons, DescribeAddon, DescribeAddonVersions). */
import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  ListAddonsCommand,
} from '@aws-sdk/client-eks';
import type { EksAddon } from '../../rules/readiness-model';
import { forEachLimited } from '../../util/concurrency';
import type { EksApi, EksClusterRef } from './calls';
import { allPages, eksCall } from './calls';

/** Concurrent EKS calls per cluster: add-ons are few, and EKS throttles per account. */
const CONCURRENCY = 4;

/**
 * Every installed add-on with the versions offered for each of `minors` (the cluster's and the
 * next): three calls per add-on whatever the number of nodes, and no add-on tables shipped.
 */
export async function readAddons(
  eks: EksApi,
  cluster: EksClusterRef,
  minors: readonly string[],
): Promise<EksAddon[]> {
  const names = await allPages('ListAddons', cluster, async (nextToken) => {
    const out = await eks.send(
      new ListAddonsCommand({
        clusterName: cluster.name,
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    return { items: out.addons ?? [], ...(out.nextToken ? { nextToken: out.nextToken } : {}) };
  });
  const addons: (EksAddon | undefined)[] = new Array<EksAddon | undefined>(names.length);
  await forEachLimited(
    names.map((name, i) => ({ name, i })),
    CONCURRENCY,
    async ({ name, i }) => {
      addons[i] = await readAddon(eks, cluster, name, minors);
    },
  );
  return addons.filter((a): a is EksAddon => a !== undefined);
}

async function readAddon(
  eks: EksApi,
  cluster: EksClusterRef,
  name: string,
  minors: readonly string[],
): Promise<EksAddon | undefined> {
  const described = await eksCall('DescribeAddon', cluster, () =>
    eks.send(new DescribeAddonCommand({ clusterName: cluster.name, addonName: name })),
  );
  const version = described.addon?.addonVersion;
  // An add-on still being created has no version yet: there is nothing to judge.
  if (!version) return undefined;
  const compatibleVersions: Record<string, string[]> = {};
  const defaultVersions: Record<string, string> = {};
  for (const minor of minors) {
    const offered = await allPages('DescribeAddonVersions', cluster, async (nextToken) => {
      const out = await eks.send(
        new DescribeAddonVersionsCommand({
          addonName: name,
          kubernetesVersion: minor,
          maxResults: 100,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      const versions = (out.addons ?? [])
        .filter((a) => a.addonName === undefined || a.addonName === name)
        .flatMap((a) => a.addonVersions ?? []);
      return { items: versions, ...(out.nextToken ? { nextToken: out.nextToken } : {}) };
    });
    compatibleVersions[minor] = offered.flatMap((v) => (v.addonVersion ? [v.addonVersion] : []));
    const preferred = offered.find((v) =>
      (v.compatibilities ?? []).some((c) => c.clusterVersion === minor && c.defaultVersion),
    );
    if (preferred?.addonVersion) defaultVersions[minor] = preferred.addonVersion;
  }
  const status = described.addon?.status;
  return {
    name,
    version,
    compatibleVersions,
    ...(Object.keys(defaultVersions).length > 0 ? { defaultVersions } : {}),
    ...(status ? { status: String(status) } : {}),
  };
}

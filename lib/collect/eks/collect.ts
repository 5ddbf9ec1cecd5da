/**
 * The EKS source: support calendar, upgrade policy, add-ons and upgrade insights of one EKS
 * cluster as snapshot parts, read at most once per cache period and kept in the ledger between.
 */
import type { ClusterSnapshot, PartStatus, SnapshotPart } from '../../rules/model';
import type { DeprecatedApiRequest, EksAddon, PlatformSupport } from '../../rules/readiness-model';
import { SourceError, readFailureOf } from '../errors';
import type { ReadCache } from '../source-collector';
import type { EksApi, EksClusterRef } from './calls';
import { readAddons } from './addons';
import { readDeprecationInsights } from './insights';
import { describeClusterFacts, describeClusterVersions } from './platform';

/** How long the facts are reused: EKS changes calendars and add-on builds over days, not minutes. */
export const EKS_FACTS_TTL_SECONDS = 6 * 3600;

/** The cache entry's name; bump the suffix when the stored shape changes. */
export const EKS_FACTS_CACHE_NAME = 'eks-facts-v1';

/** What one EKS read gives; stored as JSON in the cache as it is. */
interface EksFacts {
  readonly platform: PlatformSupport;
  readonly addons?: readonly EksAddon[];
  readonly deprecatedApis?: readonly DeprecatedApiRequest[];
  readonly parts: Readonly<Partial<Record<SnapshotPart, PartStatus>>>;
  readonly notes: readonly string[];
}

/** Inputs of one EKS collection. */
export interface EksSourceInput {
  /** The cluster's name in the config (the ledger's partition). */
  readonly cluster: string;
  readonly ref: EksClusterRef;
  readonly eks: EksApi;
  readonly cache?: ReadCache;
  /** Evaluation time (epoch ms): decides whether the cached facts are still fresh. */
  readonly now: number;
  readonly collectedAt: () => string;
  /** @default EKS_FACTS_TTL_SECONDS */
  readonly ttlSeconds?: number;
}

/** `1.31` → `1.32`. */
function nextMinor(minor: string): string | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(minor);
  return m ? `${m[1]}.${Number(m[2]) + 1}` : undefined;
}

/** A read that failed: the part it feeds becomes missing with the failure, the rest goes on. */
async function attempt<T>(read: () => Promise<T>): Promise<T | SourceError> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
}

function missing(error: SourceError): PartStatus {
  return { state: 'missing', reason: error.message, failures: [readFailureOf(error)] };
}

/** Reads every fact from EKS; DescribeCluster failing fails the source, any other call only its part. */
async function readFacts(input: EksSourceInput): Promise<{ facts: EksFacts; complete: boolean }> {
  const { eks, ref } = input;
  const cluster = await describeClusterFacts(eks, ref);
  const minors = cluster.minor
    ? [cluster.minor, ...(nextMinor(cluster.minor) ? [nextMinor(cluster.minor) as string] : [])]
    : [];
  const [versions, addons, insights] = await Promise.all([
    attempt(() => describeClusterVersions(eks, ref)),
    minors.length > 0
      ? attempt(() => readAddons(eks, ref, minors))
      : Promise.resolve(
          new SourceError(
            'eks',
            'protocol',
            `eks:DescribeCluster for ${ref.name} gave no cluster version, so the add-on versions for it cannot be asked`,
          ),
        ),
    attempt(() => readDeprecationInsights(eks, ref)),
  ]);
  const notes: string[] = [];
  const parts: Partial<Record<SnapshotPart, PartStatus>> = { platform: { state: 'collected' } };
  if (versions instanceof SourceError) {
    notes.push(
      `${versions.message}; VersionEndOfSupport uses skewguard's table of EKS dates instead.`,
    );
  }
  const platform: PlatformSupport = {
    provider: 'eks',
    ...(versions instanceof SourceError ? {} : { eksVersions: versions }),
    ...(cluster.supportType ? { upgradePolicy: { supportType: cluster.supportType } } : {}),
    source:
      versions instanceof SourceError
        ? `eks:DescribeCluster (${ref.region})`
        : `eks:DescribeClusterVersions and eks:DescribeCluster (${ref.region})`,
  };
  parts.addons = addons instanceof SourceError ? missing(addons) : { state: 'collected' };
  parts.deprecatedApis =
    insights instanceof SourceError ? missing(insights) : { state: 'collected' };
  if (!(insights instanceof SourceError) && insights.unreadable.length > 0) {
    notes.push(
      `EKS upgrade insights named usages that are not API paths, not judged: ${insights.unreadable.slice(0, 5).join(', ')}${insights.unreadable.length > 5 ? ` and ${insights.unreadable.length - 5} more` : ''}.`,
    );
  }
  const facts: EksFacts = {
    platform,
    ...(addons instanceof SourceError ? {} : { addons }),
    ...(insights instanceof SourceError ? {} : { deprecatedApis: insights.requests }),
    parts,
    notes,
  };
  const complete = ![versions, addons, insights].some((r) => r instanceof SourceError);
  return { facts, complete };
}

function snapshotOf(input: EksSourceInput, facts: EksFacts, note?: string): ClusterSnapshot {
  return {
    cluster: input.cluster,
    collectedAt: input.collectedAt(),
    sources: [{ source: 'eks', status: 'ok' }],
    parts: facts.parts,
    provider: 'eks',
    controlPlane: [],
    nodes: [],
    workloads: [],
    replicaSets: [],
    pods: [],
    notes: [...facts.notes, ...(note ? [note] : [])],
    platform: facts.platform,
    ...(facts.addons ? { addons: facts.addons } : {}),
    ...(facts.deprecatedApis ? { deprecatedApis: facts.deprecatedApis } : {}),
  };
}

/** Decodes a cached entry; anything unexpected is a miss (the facts are read again). */
function decodeFacts(value: string): EksFacts | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<EksFacts>;
    return parsed.platform && parsed.parts && Array.isArray(parsed.notes)
      ? (parsed as EksFacts)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Collects the EKS facts: from the cache while fresh (no EKS call at all), else from EKS, caching
 * them only when every read succeeded, so a missing grant is retried (and reported) every run.
 */
export async function collectFromEks(input: EksSourceInput): Promise<ClusterSnapshot> {
  const ttl = input.ttlSeconds ?? EKS_FACTS_TTL_SECONDS;
  const cached = await input.cache?.get(EKS_FACTS_CACHE_NAME, input.now);
  const reused = cached ? decodeFacts(cached.value) : undefined;
  if (cached && reused) {
    return snapshotOf(
      input,
      reused,
      `EKS support calendar, add-ons and upgrade insights as read at ${cached.fetchedAt} (re-read every ${Math.round(ttl / 3600)} h).`,
    );
  }
  const { facts, complete } = await readFacts(input);
  if (complete) await input.cache?.put(EKS_FACTS_CACHE_NAME, JSON.stringify(facts), input.now, ttl);
  return snapshotOf(input, facts);
}

/** The EKS source: support calendar, upgrade policy, add-ons and upgrade insights of an EKS cluster, cached between runs. */
export { collectFromEks, EKS_FACTS_CACHE_NAME, EKS_FACTS_TTL_SECONDS } from './collect';
export type { EksSourceInput } from './collect';
export type { EksApi, EksClusterRef } from './calls';
export { parseApiPath } from './insights';

/** AWS plumbing the sources share: EKS tokens, Secrets Manager in each secret's region, and call timeouts. */
export type { SignerCredentials } from './eks-token';
export { mintEksToken } from './eks-token';
export type { SecretsReader } from './regional-secrets';
export { RegionalSecretsManagerClient } from './regional-secrets';
export { AWS_CALL_TIMEOUTS } from './timeouts';

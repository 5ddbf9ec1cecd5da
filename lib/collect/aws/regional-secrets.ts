/** A Secrets Manager client that reads each secret in the region its ARN names. */
import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Secrets Manager as the collectors use it: `send`, and optionally a client for another region. */
export type SecretsReader = Pick<SecretsManagerClient, 'send'> & {
  /** A client for secrets in `region`; without it every secret is read through `send`. */
  readonly forRegion?: (region: string) => Pick<SecretsManagerClient, 'send'>;
};

/**
 * The function's own client plus one per other region, made on first use and kept for the
 * container's life. Secrets Manager serves a secret only in its own region (replicas have ARNs
 * of their own), so a config naming secrets of several regions needs a client for each.
 */
export class RegionalSecretsManagerClient extends SecretsManagerClient {
  private readonly byRegion = new Map<string, SecretsManagerClient>();

  constructor(private readonly options: SecretsManagerClientConfig = {}) {
    super(options);
  }

  /** The client for secrets in `region`. */
  readonly forRegion = (region: string): SecretsManagerClient => {
    let client = this.byRegion.get(region);
    if (!client) {
      client = new SecretsManagerClient({ ...this.options, region });
      this.byRegion.set(region, client);
    }
    return client;
  };
}

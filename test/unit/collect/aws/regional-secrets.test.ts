import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { collectorsFor } from '../../../../lib/collect/from-config';
import { RegionalSecretsManagerClient } from '../../../../lib/collect/aws/regional-secrets';
import { parseConfig } from '../../../../lib/config';

const arn = (region: string, name: string) =>
  `arn:aws:secretsmanager:${region}:123456789012:secret:skewguard/${name}-AbCdEf`;

describe('RegionalSecretsManagerClient', () => {
  it('makes one client per region, with that region and the shared options', async () => {
    const client = new RegionalSecretsManagerClient({ region: 'eu-west-1', maxAttempts: 2 });
    const east = client.forRegion('us-east-1');
    expect(client.forRegion('us-east-1')).toBe(east);
    expect(await east.config.region()).toBe('us-east-1');
    expect(await east.config.maxAttempts()).toBe(2);
    expect(await client.forRegion('ap-south-1').config.region()).toBe('ap-south-1');
  });
});

describe('collectors read each secret in the region its ARN names', () => {
  it('asks the client of the secret’s region, not the function’s', async () => {
    const calls: [string, string | undefined][] = [];
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    const secrets = {
      send: () => Promise.reject(new Error('the function’s own client must not be used')),
      forRegion: (region: string) => ({
        send: (command: GetSecretValueCommand) => {
          calls.push([region, command.input.SecretId]);
          return Promise.reject(denied);
        },
      }),
    };
    const [cluster] = parseConfig({
      clusters: [
        {
          name: 'lab',
          kubernetes: {
            server: 'https://10.0.0.1:6443',
            tokenSecretArn: arn('us-east-1', 'token'),
          },
          prometheus: {
            url: 'https://prom.lab.example',
            auth: { type: 'bearer', secretArn: arn('ap-south-1', 'prom') },
          },
        },
      ],
    }).clusters;
    const collectors = collectorsFor(cluster!, { secrets } as never, () => 'now');
    for (const collector of collectors) await expect(collector.collect()).rejects.toThrow(/denied/);
    expect(calls).toEqual([
      ['us-east-1', arn('us-east-1', 'token')],
      ['ap-south-1', arn('ap-south-1', 'prom')],
    ]);
  });

  it('falls back to send for a reader without forRegion (the CLI and tests)', async () => {
    const send = jest.fn().mockResolvedValue({ SecretString: 'token' });
    const [cluster] = parseConfig({
      clusters: [
        {
          name: 'lab',
          prometheus: {
            url: 'https://127.0.0.1:1',
            auth: { type: 'bearer', secretArn: arn('us-east-1', 'prom') },
          },
        },
      ],
    }).clusters;
    const [collector] = collectorsFor(cluster!, { secrets: { send } }, () => 'now');
    await expect(collector!.collect()).rejects.toThrow();
    expect(send).toHaveBeenCalledTimes(1);
  });
});

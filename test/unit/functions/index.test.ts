import { RegionalSecretsManagerClient } from '../../../lib/collect/aws/regional-secrets';
import { CONFIG_ENV } from '../../../lib/config';

const CONFIG = {
  clusters: [{ name: 'prod', prometheus: { url: 'https://prom.example.com' } }],
};

describe('the Lambda’s clients', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.resetModules();
  });

  it('publish in the topic’s region and read secrets per region', async () => {
    process.env = {
      ...saved,
      AWS_REGION: 'eu-west-1',
      [CONFIG_ENV]: JSON.stringify(CONFIG),
      LEDGER_TABLE: 'ledger',
      TOPIC_ARN: 'arn:aws:sns:us-east-2:123456789012:alerts',
    };
    const { handlerContext } = await import('../../../functions/check/index');
    const context = handlerContext();
    expect(await context.sns.config.region()).toBe('us-east-2');
    expect(context.secrets).toBeInstanceOf(RegionalSecretsManagerClient);
    expect(handlerContext()).toBe(context);
  });
});

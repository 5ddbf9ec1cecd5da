/**
 * The deployed checker with `plan:` configured: the first complete run publishes the markdown
 * plan as a human message (status `plan`), the next run within the period publishes none. The
 * Kubernetes API test server answers; the ledger is dynalite; SNS is mocked.
 */
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { handleCheck } from '../../../functions/check/handler';
import type { SkewguardConfig } from '../../../lib/config';
import { parseConfig } from '../../../lib/config';
import type { Dynalite } from '../../support/dynalite';
import { startDynalite } from '../../support/dynalite';
import { NOW } from '../../support/evaluate';
import { handlerSuiteHooks, testHandlerContext } from '../../support/handler-context';
import type { KubeApiServer } from '../../support/kube-api-server';
import { startKubeApiServer } from '../../support/kube-api-server';
import { clusterDocuments } from '../../support/kube-objects';

const TOKEN = 'skewguard-reader-token-plan';
const TOKEN_ARN =
  'arn:aws:secretsmanager:eu-central-1:123456789012:secret:skewguard/p/token-AbCdEf';
const CA_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:skewguard/p/ca-GhIjKl';

const [VERSION_DOC, ...OBJECT_DOCS] = clusterDocuments({
  serverVersion: 'v1.30.4',
  kubelets: { 'w-1': 'v1.30.4', 'w-2': 'v1.27.9' },
  nodeGroups: { 'w-1': 'new', 'w-2': 'old' },
}) as [Record<string, unknown>, ...unknown[]];

describe('check handler with plan:', () => {
  const sns = mockClient(SNSClient);
  const secrets = mockClient(SecretsManagerClient);
  let api: KubeApiServer | undefined;
  let dynamo: Dynalite | undefined;
  let config: SkewguardConfig;

  beforeAll(async () => {
    [api, dynamo] = await Promise.all([
      startKubeApiServer({
        objects: OBJECT_DOCS,
        version: VERSION_DOC['serverVersion'] as Record<string, unknown>,
        token: TOKEN,
      }),
      startDynalite(),
    ]);
    secrets.on(GetSecretValueCommand, { SecretId: TOKEN_ARN }).resolves({ SecretString: TOKEN });
    secrets.on(GetSecretValueCommand, { SecretId: CA_ARN }).resolves({ SecretString: api.caPem });
    config = parseConfig({
      clusters: [
        {
          name: 'plan-lab',
          kubernetes: { server: api.url, tokenSecretArn: TOKEN_ARN, caSecretArn: CA_ARN },
          plan: { to: '1.31', schedule: 'daily' },
        },
      ],
    });
  }, 60_000);

  const suite = handlerSuiteHooks({ sns, secrets }, () =>
    Promise.all([api?.stop(), dynamo?.stop()]),
  );

  const plans = (): PublishCommandInput[] =>
    sns
      .commandCalls(PublishCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.MessageAttributes?.['status']?.StringValue === 'plan');

  it('publishes the plan once, then not again within the period', async () => {
    await handleCheck({ cluster: 'plan-lab' }, testHandlerContext(config, dynamo, NOW));
    const [first, ...others] = plans();
    expect(others).toEqual([]);
    expect(first?.Subject).toBe('[PLAN] plan-lab: upgrade 1.30 -> 1.31, 1 hop, blocked');
    expect(first?.MessageAttributes?.['audience']?.StringValue).toBe('human');
    expect(first?.Message).toContain(
      '- kubelet 1.27 on node group old (1 node) would be 4 minors behind 1.31; the policy allows 3',
    );
    expect(suite.output.records().map((r) => r['message'])).toContain('upgrade plan sent');

    sns.resetHistory();
    await handleCheck(
      { cluster: 'plan-lab' },
      testHandlerContext(config, dynamo, NOW + 5 * 60_000),
    );
    expect(plans()).toEqual([]);
  });
});

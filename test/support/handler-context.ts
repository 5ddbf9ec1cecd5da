/**
 * The check handler's context for tests, built as functions/check/index.ts builds it: a ledger
 * in dynalite, SNS and Secrets Manager clients (mocked by the suite), Powertools logger and
 * metrics writing EMF to stdout, and a fixed clock.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { HandlerContext } from '../../functions/check/handler';
import type { SkewguardConfig } from '../../lib/config';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lib/util/metrics';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { Dynalite } from './dynalite';
import type { CapturedOutput } from './pipeline';
import { captureOutput } from './pipeline';

/** The topic the tests' handler publishes to (SNS is mocked). */
export const TEST_TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:skewguard';

/** A handler context for `config` at `now`; `chat` as the stack derives it from the config. */
export function testHandlerContext(
  config: SkewguardConfig,
  dynamo: Dynalite | undefined,
  now: number,
): HandlerContext {
  if (!dynamo) throw new Error('dynalite did not start');
  const logger = new Logger({ serviceName: SERVICE_NAME });
  return {
    config,
    tableName: dynamo.tableName,
    topicArn: TEST_TOPIC_ARN,
    // As the stack sets SKEWGUARD_CHAT_SUBSCRIBED (asserted in the infra tests).
    chat: config.notifications.https.some((e) => e.audience === 'chat'),
    dynamodb: dynamo.client,
    sns: new SNSClient({ region: 'eu-central-1' }),
    secrets: new SecretsManagerClient({ region: 'eu-central-1' }),
    logger,
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger }),
    now: () => now,
  };
}

/** The captured output of the running test, from `handlerSuiteHooks`. */
export interface SuiteOutput {
  readonly output: CapturedOutput;
}

/**
 * The Jest hooks every handler suite shares: SNS takes every publish and the output is captured
 * afresh for each test; after the suite the servers stop (`stop`) and both AWS mocks restore.
 */
export function handlerSuiteHooks(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any client's stub
  mocks: { readonly sns: AwsStub<any, any, any>; readonly secrets: AwsStub<any, any, any> },
  stop: () => Promise<unknown>,
): SuiteOutput {
  let output: CapturedOutput | undefined;
  afterAll(async () => {
    await stop();
    mocks.sns.restore();
    mocks.secrets.restore();
  });
  beforeEach(() => {
    mocks.sns.reset();
    mocks.sns.on(PublishCommand).resolves({ MessageId: 'message-id' });
    output = captureOutput();
  });
  afterEach(() => output?.restore());
  return {
    get output(): CapturedOutput {
      if (!output) throw new Error('output is captured only while a test runs');
      return output;
    },
  };
}

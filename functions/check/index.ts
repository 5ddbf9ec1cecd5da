import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CHAT_SUBSCRIBED_ENV, loadConfigFromEnvironment } from '../../lib/config';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lib/infra/metrics';
import type { CheckSummary } from '../../lib/check';
import { handleCheck } from './handler';
import type { HandlerContext } from './handler';

// Module scope: built once per container and reused by every invocation (STYLE.md #10).
const logger = new Logger({ serviceName: SERVICE_NAME });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `environment variable ${name} is not set; deploy the function with the skewguard stack (lib/infra)`,
    );
  return value;
}

let context: HandlerContext | undefined;

/** Fails fast at cold start on a bad config, naming the variable and the problem. */
function handlerContext(): HandlerContext {
  context ??= {
    config: loadConfigFromEnvironment(),
    tableName: required('LEDGER_TABLE'),
    topicArn: required('TOPIC_ARN'),
    chat: process.env[CHAT_SUBSCRIBED_ENV] === 'true',
    dynamodb: new DynamoDBClient({}),
    // The notifier retries on its own; keep the SDK's retries small so attempts stay bounded.
    sns: new SNSClient({ maxAttempts: 2 }),
    secrets: new SecretsManagerClient({}),
    logger,
    metrics,
  };
  return context;
}

/** Lambda entry: `{cluster}` in, run summary out. */
export const handler = async (event: unknown): Promise<CheckSummary> =>
  handleCheck(event, handlerContext());

/** The check function's Lambda entry: config and AWS clients built once per container. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CHAT_SUBSCRIBED_ENV, loadConfigFromEnvironment, regionOfArn } from '../../lib/config';
import { AWS_CALL_TIMEOUTS, RegionalSecretsManagerClient } from '../../lib/collect/aws';
import {
  DEFAULT_HEARTBEAT,
  HEARTBEAT_GROUP_ENV,
  HEARTBEAT_MISSED_RUNS_ENV,
} from '../../lib/util/heartbeat';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lib/util/metrics';
import type { CheckSummary } from '../../lib/check';
import { handleCheck } from './handler';
import type { HandlerContext, InvocationContext } from './handler';

// Module scope: built once per container and reused by every invocation (docs/architecture.md, Conventions #10).
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

/** The clients and config of this container, built on the first call; fails fast on a bad config, naming the variable. */
export function handlerContext(): HandlerContext {
  if (context) return context;
  const config = loadConfigFromEnvironment();
  const tableName = required('LEDGER_TABLE');
  const topicArn = required('TOPIC_ARN');
  const topicRegion = regionOfArn(topicArn);
  context = {
    config,
    tableName,
    topicArn,
    chat: process.env[CHAT_SUBSCRIBED_ENV] === 'true',
    dynamodb: new DynamoDBClient({ ...AWS_CALL_TIMEOUTS }),
    // The notifier retries on its own; keep the SDK's retries small so attempts stay bounded.
    // SNS accepts a publish only in the topic's region; the stack keeps that the function's own
    // (alarms need it too), and the client follows the ARN should the two ever differ.
    sns: new SNSClient({
      maxAttempts: 2,
      ...AWS_CALL_TIMEOUTS,
      ...(topicRegion ? { region: topicRegion } : {}),
    }),
    // Secrets are read in the region each ARN names (one client per region, made on first use).
    secrets: new RegionalSecretsManagerClient({ ...AWS_CALL_TIMEOUTS }),
    logger,
    metrics,
    ...(process.env['LAMBDA_TASK_ROOT'] ? { codeRoot: process.env['LAMBDA_TASK_ROOT'] } : {}),
    heartbeat: {
      group: process.env[HEARTBEAT_GROUP_ENV] || DEFAULT_HEARTBEAT.group,
      missedRuns: Number(process.env[HEARTBEAT_MISSED_RUNS_ENV]) || DEFAULT_HEARTBEAT.missedRuns,
    },
  };
  return context;
}

/** Lambda entry: `{cluster}` in, run summary out; the invocation's deadline bounds its claims. */
export const handler = async (
  event: unknown,
  invocation?: InvocationContext,
): Promise<CheckSummary> => handleCheck(event, handlerContext(), invocation);

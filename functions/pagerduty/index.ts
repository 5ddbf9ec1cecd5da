/** The PagerDuty forwarder's Lambda entry: logger, Secrets Manager client and routing-key cache built once per container. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { regionOfArn } from '../../lib/config/aws-names';
import { AWS_CALL_TIMEOUTS } from '../../lib/collect/aws/timeouts';
import { PAGERDUTY_ENV, PAGERDUTY_EVENTS_URL } from '../../lib/notify/pagerduty';
import { SERVICE_NAME } from '../../lib/util/metrics';
import type { ForwardSummary, ForwarderContext, SnsRecordsEvent } from './handler';
import { cachedRoutingKey, handleSnsEvent } from './handler';

// Module scope: built once per container and reused by every invocation (docs/architecture.md, Conventions #10).
const logger = new Logger({ serviceName: SERVICE_NAME });

let context: ForwarderContext | undefined;

/** The context of this container, built on the first call; fails fast, naming the variable, when the stack did not set it. */
export function forwarderContext(): ForwarderContext {
  if (context) return context;
  const secretArn = process.env[PAGERDUTY_ENV.routingKeySecretArn];
  if (!secretArn)
    throw new Error(
      `environment variable ${PAGERDUTY_ENV.routingKeySecretArn} is not set; deploy the function with the skewguard stack (lib/infra)`,
    );
  const region = regionOfArn(secretArn);
  // Secrets Manager serves a secret only in its own region, which may not be the function's.
  const secrets = new SecretsManagerClient({
    maxAttempts: 3,
    ...AWS_CALL_TIMEOUTS,
    ...(region ? { region } : {}),
  });
  context = {
    routingKey: cachedRoutingKey(secrets, secretArn),
    eventsUrl: process.env[PAGERDUTY_ENV.eventsUrl] || PAGERDUTY_EVENTS_URL,
    logger,
  };
  return context;
}

/** Lambda entry: an SNS event in, the count forwarded out; throws when a record failed (the event goes to the DLQ). */
export const handler = async (event: SnsRecordsEvent): Promise<ForwardSummary> =>
  handleSnsEvent(event, forwarderContext());

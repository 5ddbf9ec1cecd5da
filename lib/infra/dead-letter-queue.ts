/** The encrypted SQS queue that catches what a subscription, schedule or function could not deliver. */
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Duration, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue kept 14 days, SSE-SQS, TLS only. It has no DLQ of its own (cdk-nag SQS3
 * acknowledged): nothing would read one. `of` names what it is the dead-letter queue of.
 */
export function deadLetterQueue(scope: Construct, id: string, of: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter queue of ${of}; a DLQ for it would never be read`,
  });
  return queue;
}

/** `skewguard notify-test`: one labelled test message per audience through the deployed topic, so each subscription's path can be seen working. */
import { hostname, userInfo } from 'node:os';
import { SNSClient } from '@aws-sdk/client-sns';
import { regionOfArn } from '../config/aws-names';
import { PublishError } from '../notify/publisher';
import { SnsNotifier } from '../notify/sns';
import { testNotification } from '../notify/test-notification';
import { EXIT, UsageError } from './exit';

/** Options of `skewguard notify-test`. */
export interface NotifyTestOptions {
  /** The stack's TopicArn output. */
  readonly topicArn?: string;
  /** The cluster name the messages carry; subscriptions filtering on a cluster need theirs. */
  readonly cluster: string;
}

/** Where notify-test writes and what it publishes with. */
export interface NotifyTestIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now: () => number;
  /** The SNS client for the topic's region (tests pass one; default the SDK's credential chain). */
  readonly sns?: (region: string) => SNSClient;
}

const WHERE: Record<string, string> = {
  human: 'email and other human subscriptions',
  chat: 'chat webhooks',
  machine: 'pagers (firing)',
};

function caller(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `unknown user@${hostname()}`;
  }
}

/** What to change when SNS refused the test, by the error SNS or the SDK named. */
function fixFor(error: PublishError, topicArn: string): string {
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const name = cause?.name ?? '';
  if (/AuthorizationError|AccessDenied/.test(name))
    return `your AWS credentials may not publish to ${topicArn}: allow sns:Publish on it (and kms:GenerateDataKey and kms:Decrypt on its key, which skewguard's own topic is encrypted with)`;
  if (/^KMS/.test(name))
    return `the topic's KMS key refused the caller: allow kms:GenerateDataKey and kms:Decrypt on it`;
  if (/NotFound/.test(name))
    return `no topic ${topicArn} exists: copy the TopicArn output of the stack (aws cloudformation describe-stacks --stack-name Skewguard --query "Stacks[0].Outputs")`;
  if (/CredentialsProvider|Credentials/.test(name) || /credential/i.test(cause?.message ?? ''))
    return 'no AWS credentials were found: set AWS_PROFILE, or run `aws configure` or `aws sso login`';
  return 'check the topic ARN, your network and your AWS credentials';
}

/**
 * Publishes the test: the email, chat and firing machine messages, then the machine resolution
 * under the same dedup key, so a pager incident opens and closes by itself. Exit 0 when SNS took
 * every message, 2 with the cause and the fix when it did not.
 */
export async function notifyTest(opts: NotifyTestOptions, io: NotifyTestIo): Promise<number> {
  const topicArn = opts.topicArn ?? '';
  const region = regionOfArn(topicArn);
  if (topicArn === '' || region === undefined)
    throw new UsageError(
      `--topic-arn ${JSON.stringify(topicArn)} is not an SNS topic ARN; pass the stack's TopicArn output, e.g. --topic-arn arn:aws:sns:eu-central-1:123456789012:skewguard`,
    );
  const client = io.sns?.(region) ?? new SNSClient({ region });
  // Throws on a malformed or FIFO topic ARN, with the fix; main turns that into exit 2.
  let notifier: SnsNotifier;
  try {
    notifier = new SnsNotifier(client, { topicArn });
  } catch (error) {
    throw new UsageError(`--topic-arn: ${(error as Error).message}`);
  }
  const test = testNotification({
    cluster: opts.cluster,
    sentAt: new Date(io.now()).toISOString(),
    sentBy: caller(),
  });
  for (const message of [...test.firing, ...test.resolved]) {
    try {
      await notifier.publishMessage(message);
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      io.stderr(
        `skewguard: SNS did not take the ${message.label} (${error.message}); ${fixFor(error, topicArn)}\n`,
      );
      return EXIT.error;
    }
    const where =
      message.attributes.status === 'resolved'
        ? 'pagers (resolved: closes the test page)'
        : WHERE[message.audience];
    io.stdout(`sent the ${message.audience} test message: ${where ?? message.audience}\n`);
  }
  io.stdout(
    `Every test message went to ${topicArn}. A subscription that got nothing filters it out or is not confirmed: aws sns list-subscriptions-by-topic --topic-arn ${topicArn} --region ${region}\n`,
  );
  return EXIT.ok;
}

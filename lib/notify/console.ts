/**
 * The CLI's notifier: writes the human digest (subject line, blank line, body) to a writer,
 * e.g. stdout, so `skewguard` can show what the Lambda would have emailed.
 */
import type { HumanRenderOptions } from './human';
import { renderHuman } from './human';
import { wrap } from './text';
import type { NotificationBatch, Notifier, PublishResult } from './publisher';
import { NOTHING_PUBLISHED, PublishError, deliveryResult } from './publisher';

/** Where the digest goes; may be async (a stream write that waits for drain). */
export type TextWriter = (text: string) => void | Promise<void>;

/** Writes each batch's digest as text; everything written counts as delivered. */
export class ConsoleNotifier implements Notifier {
  constructor(
    private readonly write: TextWriter,
    private readonly options: HumanRenderOptions = {},
  ) {}

  /** Writes the digest, or nothing when the batch has no transitions. */
  async publish(batch: NotificationBatch): Promise<PublishResult> {
    const digest = renderHuman(batch, this.options);
    if (digest === undefined) return NOTHING_PUBLISHED;
    try {
      await this.write(`${subjectLines(digest.subject, this.options.width)}\n\n${digest.body}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PublishError(
        `writing the human digest for ${batch.cluster} failed: ${reason}; check that the output ` +
          'stream is writable (a closed pipe or full disk)',
        {
          audience: 'human',
          messageLabel: `human digest for ${batch.cluster}`,
          undelivered: digest.carries,
          attempts: 1,
          retryable: false,
          cause: error,
        },
      );
    }
    return deliveryResult(batch.transitions, 1, []);
  }
}

/**
 * `Subject: …` as the terminal shows it: the email subject (up to 100 characters) wrapped at the
 * digest's width, continuation lines aligned under the subject text.
 */
function subjectLines(subject: string, width: number | undefined): string {
  const label = 'Subject: ';
  if (width === undefined) return `${label}${subject}`;
  return wrap(subject, width, ' '.repeat(label.length), label).join('\n');
}

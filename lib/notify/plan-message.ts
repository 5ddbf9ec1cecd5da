/** The upgrade plan as one human SNS message: an ASCII subject and the markdown playbook. */
import type { UpgradePlan } from '../rules';
import { isBlocked, renderPlanMarkdown } from './plan-markdown';
import type { OutboundMessage } from './publisher';
import { asciiSubject } from './text';

/** SNS takes 256 KB of message and attributes; a plan this long is cut with a pointer to the CLI. */
const MAX_BODY_BYTES = 200 * 1024;

/**
 * The plan for email (audience human). It routes as `warning` while a hop is blocked and `info`
 * when the path is clear, so a subscription that takes warnings hears about blockers.
 */
export function planMessage(plan: UpgradePlan, runAt: string): OutboundMessage {
  const blocked = isBlocked(plan);
  const hops = plan.hops.length;
  const subject = asciiSubject(
    `[PLAN] ${plan.cluster}: upgrade ${plan.from} -> ${plan.to}, ${hops} ${hops === 1 ? 'hop' : 'hops'}${blocked ? ', blocked' : ', clear'}`,
  );
  const intro =
    `The upgrade plan for ${plan.cluster} changed (checked ${runAt}). ` +
    `\`skewguard plan --to ${plan.to}\` prints it again for this cluster.\n\n`;
  let body = intro + renderPlanMarkdown(plan);
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    body =
      Buffer.from(body, 'utf8')
        .subarray(0, MAX_BODY_BYTES)
        .toString('utf8')
        .replace(/\uFFFD$/, '') +
      `\n\n[… cut at ${MAX_BODY_BYTES / 1024} KB: run \`skewguard plan --to ${plan.to} -o markdown\` for the whole plan]\n`;
  }
  return {
    audience: 'human',
    label: `upgrade plan message for ${plan.cluster}`,
    subject,
    body,
    attributes: {
      audience: 'human',
      severity: blocked ? 'warning' : 'info',
      cluster: plan.cluster,
      status: 'plan',
    },
    carries: [],
  };
}

/**
 * How a finding's subject is written, in a module of its own: text.ts reaches the rule registry
 * (resolved wording), which the PagerDuty forwarder's bundle has no use for.
 */
import type { Subject } from '../rules/model';

/** `Deployment shop/web`, `Kubelet v1.26`. */
export function subjectText(subject: Subject): string {
  const ns =
    subject.namespace !== undefined && subject.namespace !== '' ? `${subject.namespace}/` : '';
  return `${subject.kind} ${ns}${subject.name}`;
}

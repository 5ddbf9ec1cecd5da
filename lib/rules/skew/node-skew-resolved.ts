/** The resolved notice the kubelet and kube-proxy skew rules share: a version group back in policy. */
import { countText, numberOf, textOf, wasText } from '../last-finding';
import type { LastFinding } from '../rule';

/** `No kubelet on 1.26 is out of policy any more (was: 4 nodes on 1.26)`. */
export function nodeSkewResolved(component: string, last: LastFinding): string {
  const minor = textOf(last, 'minor') ?? last.subject.name.replace(/^v/, '');
  const nodes = countText(numberOf(last, 'nodeCount'), 'node');
  return `No ${component} on ${minor} is out of policy any more${wasText([nodes && `${nodes} on ${minor}`])}`;
}

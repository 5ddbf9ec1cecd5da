/** The one constructor of a container's current state, whichever source read it. */
import type { ContainerState, LastTermination } from '../../rules/model';
import { opt } from '../../util/opt';

/** What a source saw of a container's state: each form present when the source reports it. */
export interface ContainerStateSeen {
  readonly waiting?: {
    readonly reason?: string | undefined;
    readonly message?: string | undefined;
  };
  readonly running?: { readonly startedAt?: string | undefined };
  readonly terminated?: LastTermination;
}

/**
 * The container's state: waiting wins over running, running over terminated (a source that
 * reports several at once is mid-transition, and the waiting reason is what explains a problem).
 */
export function containerStateOf(seen: ContainerStateSeen): ContainerState {
  if (seen.waiting) {
    return {
      kind: 'waiting',
      ...opt('reason', seen.waiting.reason),
      ...opt('message', seen.waiting.message),
    };
  }
  if (seen.running) return { kind: 'running', ...opt('startedAt', seen.running.startedAt) };
  if (seen.terminated) return { kind: 'terminated', ...seen.terminated };
  return { kind: 'unknown' };
}

/**
 * Which machine messages a batch sends under one incident key per workload (lib/rules/incident.ts),
 * so a pager opens one incident for a workload and closes it only when its last member resolves.
 */
import { findingOf } from '../ledger/reconcile';
import type { LedgerItem, Transition } from '../ledger/types';
import { incidentKey, incidentRank } from '../rules/incident';
import type { NotificationBatch } from './publisher';

/** One machine message to send: its transition, the incident key, whom it routes with. */
export interface IncidentMessage {
  readonly transition: Transition;
  /** The incident key: the fingerprint for a finding that stands alone. */
  readonly dedupKey: string;
  /**
   * Transitions whose severities the message routes with: itself and, for the resolution that
   * closes an incident, its other members, so a pager that heard any member fire hears the close.
   */
  readonly routeWith: readonly Transition[];
}

/**
 * The machine messages of a batch. Firing and repeat notices go out one per transition under
 * their incident key. A member that resolves while another member of its incident still fires
 * sends none, since a `resolved` with the incident key would close what is still open (the
 * digest reports it). When the last members resolve, one `resolved` goes out, the headline's.
 */
export function incidentMessages(batch: NotificationBatch): IncidentMessage[] {
  const keyOf = (finding: Transition['finding']): string => incidentKey(batch.cluster, finding);
  const resolvedSks = new Set(
    batch.transitions.filter((t) => t.kind === 'resolved').map((t) => t.item.sk),
  );
  const items = batch.items ?? [...batch.stillFiring, ...batch.transitions.map((t) => t.item)];
  // Members people heard of: items of this cluster (firing or resolved within the ledger's TTL).
  const byIncident = new Map<string, LedgerItem[]>();
  for (const item of items) {
    const key = keyOf(findingOf(item));
    byIncident.set(key, [...(byIncident.get(key) ?? []), item]);
  }
  const stillOpen = (key: string): boolean =>
    (byIncident.get(key) ?? []).some((i) => i.status === 'firing' && !resolvedSks.has(i.sk));

  const messages: IncidentMessage[] = [];
  const closed = new Set<string>();
  const resolving = [...batch.transitions]
    .filter((t) => t.kind === 'resolved')
    .sort((a, b) => incidentRank(a.finding.ruleId) - incidentRank(b.finding.ruleId));
  for (const transition of batch.transitions) {
    const dedupKey = keyOf(transition.finding);
    if (transition.kind !== 'resolved') {
      messages.push({ transition, dedupKey, routeWith: [transition] });
      continue;
    }
    if (stillOpen(dedupKey) || closed.has(dedupKey)) continue;
    // The headline of what resolves closes the incident, once, routed as every member was.
    const closer = resolving.find((t) => keyOf(t.finding) === dedupKey) ?? transition;
    const members = (byIncident.get(dedupKey) ?? [])
      .filter((i) => i.sk !== closer.item.sk)
      .map((item): Transition => ({ kind: 'resolved', finding: findingOf(item), item }));
    closed.add(dedupKey);
    messages.push({ transition: closer, dedupKey, routeWith: [closer, ...members] });
  }
  return messages;
}

/**
 * Which severities a message routes with. Subscriptions select findings by the `severity`
 * message attribute (e.g. a pager takes only `critical`); a finding's severity can drop while it
 * fires, so routing by its current severity alone would send its downgrade and its resolved
 * notice past a subscriber that heard it fire. Every notice of an episode therefore carries the
 * severities its earlier notices carried too, as an SNS `String.Array`, which a filter policy
 * matches when any element matches: existing `{"severity": ["critical"]}` filters keep working.
 */
import type { Transition } from '../ledger/types';
import type { Severity } from '../rules/model';
import { SEVERITIES } from '../rules/model';

/** A `severity` attribute: one severity, or several (worst first) sent as `String.Array`. */
export type SeverityAttribute = Severity | readonly Severity[];

/** The transition's current severity plus every severity its episode was notified at, worst first. */
export function routingSeverities(transition: Transition): Severity[] {
  const { finding, item } = transition;
  const heard = new Set<Severity>(item.notifiedSeverities ?? []);
  // Items written before notifiedSeverities existed still know the last notified severity.
  if (item.notifiedStatus === 'firing' && item.notifiedSeverity !== undefined)
    heard.add(item.notifiedSeverity);
  heard.add(finding.severity);
  return SEVERITIES.filter((s) => heard.has(s));
}

/** The `severity` attribute of a message reporting `transitions`: a plain value when only one. */
export function severityAttribute(transitions: readonly Transition[]): SeverityAttribute {
  const all = new Set(transitions.flatMap(routingSeverities));
  const severities = SEVERITIES.filter((s) => all.has(s));
  const [only] = severities;
  if (only === undefined) return 'info';
  return severities.length === 1 ? only : severities;
}

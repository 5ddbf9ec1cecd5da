/** The human digest's subject: what happened, on which cluster, naming the worst rules first within 100 characters. */
import type { Transition } from '../ledger/types';
import type { Incident } from '../rules/incident';
import { groupIncidents } from '../rules/incident';
import type { Severity } from '../rules/model';
import { severityRank } from '../rules/model';
import { MAX_SUBJECT_LENGTH, asciiLine, clip, isChange, worstSeverity } from './text';

/**
 * The digest subject, e.g. `[WARNING+RESOLVED] prod-eu: 1 new, 1 resolved - KubeletVersionSkew
 * resolved, PodCrashLooping`. The tag says what happened: the worst severity still firing,
 * `+RESOLVED` when something also resolved, `[RESOLVED]` when only resolutions. Rule ids follow
 * worst severity first whatever the kind, so every critical one, new or resolved, is named
 * before any warning and is never the part cut to `...` while it fits in 100 characters.
 */
export function digestSubject(cluster: string, transitions: readonly Transition[]): string {
  const open = transitions.filter((t) => t.kind !== 'resolved');
  const anyResolved = open.length < transitions.length;
  const tag =
    open.length === 0
      ? 'RESOLVED'
      : `${worstSeverity(open.map(severityOf)).toUpperCase()}${anyResolved ? '+RESOLVED' : ''}`;
  const n = (test: (t: Transition) => boolean): number => transitions.filter(test).length;
  const fresh = n((t) => t.kind === 'firing' && !isChange(t));
  const changed = n(isChange);
  const reminders = n((t) => t.kind === 'repeat');
  const resolved = n((t) => t.kind === 'resolved');
  const counts = [
    fresh > 0 ? `${fresh} new` : '',
    changed > 0 ? `${changed} changed` : '',
    reminders > 0 ? `${reminders} ${reminders === 1 ? 'reminder' : 'reminders'}` : '',
    resolved > 0 ? `${resolved} resolved` : '',
  ].filter(Boolean);
  const name = `[${tag}] ${clip(asciiLine(cluster) || '?', 40)}`;
  // One id per incident, its headline's, ranked by the worst of its members.
  const entries = [
    ...incidentsOf(cluster, open).map((i) => ({ incident: i, resolved: false })),
    ...incidentsOf(
      cluster,
      transitions.filter((t) => t.kind === 'resolved'),
    ).map((i) => ({ incident: i, resolved: true })),
  ]
    .map((e) => ({ ...e, severity: incidentSeverity(e.incident) }))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  // Only a mixed digest marks its resolutions; in a [RESOLVED] one every id is resolved.
  const label = (e: (typeof entries)[number]): string =>
    `${asciiLine(e.incident.headline.finding.ruleId)}${anyResolved && open.length > 0 && e.resolved ? ' resolved' : ''}`;
  const labels = [...new Set(entries.map(label))];
  const critical = new Set(entries.filter((e) => e.severity === 'critical').map(label)).size;
  const full = fitList(`${name}: ${counts.join(', ')}`, labels, MAX_SUBJECT_LENGTH);
  if (namesFirst(full, labels, critical)) return full;
  // The counts give way before a critical rule id does, when that makes them all fit.
  const short = fitList(name, labels, MAX_SUBJECT_LENGTH);
  return namesFirst(short, labels, critical) ? short : full;
}

/** Whether a fitted subject kept the first `count` labels whole. */
function namesFirst(subject: string, labels: readonly string[], count: number): boolean {
  if (count === 0) return true;
  const list = labels.slice(0, count).join(', ');
  const at = subject.indexOf(` - ${list}`);
  if (at < 0) return false;
  const after = subject.slice(at + 3 + list.length);
  return after === '' || after.startsWith(', ');
}

/** `head - a, b, ...` with as many items as fit in `max` characters. */
function fitList(head: string, items: readonly string[], max: number): string {
  if (head.length > max) return clip(head, max);
  if (items.length === 0) return head;
  for (let k = items.length; k >= 0; k -= 1) {
    const cut = k < items.length;
    const list = items.slice(0, k).join(', ');
    const text = `${head} - ${list}${cut ? (k > 0 ? ', ...' : '...') : ''}`;
    if (text.length <= max) return text;
  }
  return head;
}

/** The incidents of some transitions, worst first as the transitions came. */
export function incidentsOf(
  cluster: string,
  transitions: readonly Transition[],
): Incident<Transition>[] {
  return groupIncidents(transitions, cluster, (t) => t.finding);
}

/** The worst severity among an incident's members: what its entry is tagged with. */
export function incidentSeverity(incident: Incident<Transition>): Severity {
  return worstSeverity(incident.members.map(severityOf));
}

/** A transition's severity: its finding's. */
export function severityOf(transition: Transition): Severity {
  return transition.finding.severity;
}

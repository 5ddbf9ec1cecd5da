/**
 * The human digest: one plain-text email per cluster per run that says what started firing,
 * what is due as a reminder, what resolved and what still holds, each with how long, the runbook
 * and the kubectl commands to look closer.
 */
import type { LedgerItem, Transition, TransitionKind } from '../ledger/types';
import type { Incident } from '../rules/incident';
import { groupIncidents } from '../rules/incident';
import type { Severity } from '../rules/model';
import { SEVERITIES, severityRank } from '../rules/model';
import type { MessageAttributes, NotificationBatch } from './publisher';
import { transitionKey } from './publisher';
import { severityAttribute } from './routing';
import {
  MAX_SUBJECT_LENGTH,
  asciiLine,
  byteLength,
  clip,
  commandsOf,
  isChange,
  relativeAge,
  resolvedText,
  sinceOf,
  subjectText,
  timeText,
  worstSeverity,
  wrap,
} from './text';

/** Body budget: far below SNS's 256 KB, and short enough for any mail client. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Tunables of the digest; every field has a default. */
export interface HumanRenderOptions {
  /**
   * Largest body in UTF-8 bytes; entries beyond it are counted as "... and N more".
   * @default 65536
   */
  readonly maxBodyBytes?: number;
  /**
   * Width that summaries are wrapped at.
   * @default 100
   */
  readonly width?: number;
  /**
   * Detailed entries per section before the rest is counted.
   * @default 25
   */
  readonly maxEntriesPerSection?: number;
  /**
   * One-line entries in the "still firing" list.
   * @default 20
   */
  readonly maxStillFiringLines?: number;
  /**
   * kubectl commands shown per finding.
   * @default 8
   */
  readonly maxCommands?: number;
}

/** The rendered digest. */
export interface HumanMessage {
  /** ASCII, at most 100 characters, no line breaks: what SNS accepts as an email subject. */
  readonly subject: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  /** Ledger keys of every transition the digest reports. */
  readonly carries: readonly string[];
  /** Entries counted as "... and N more" instead of shown. */
  readonly omitted: number;
}

/** Kinds in the order the digest shows them. */
const KIND_ORDER: readonly TransitionKind[] = ['firing', 'repeat', 'resolved'];

const SECTION_TITLES: Record<TransitionKind, string> = {
  firing: 'FIRING (new or changed)',
  repeat: 'REMINDER: STILL FIRING',
  resolved: 'RESOLVED',
};

/** Bytes kept free per section for its "... and N more" line. */
const MORE_LINE_RESERVE = 160;
const INDENT = '  ';
/**
 * A command is never wrapped (it must paste as one line) but an absurd one is cut; like the
 * runbook URL it may run past the wrap width.
 */
const MAX_COMMAND_LENGTH = 400;

/**
 * Renders the digest of a batch, or undefined when nothing changed and no reminder is due
 * (a batch without transitions).
 */
export function renderHuman(
  batch: NotificationBatch,
  options: HumanRenderOptions = {},
): HumanMessage | undefined {
  if (batch.transitions.length === 0) return undefined;
  const opts = withDefaults(options);
  const ordered = orderForDigest(batch.transitions);
  const owed = new Set(ordered.map(transitionKey));
  const still = batch.stillFiring.filter((item) => !owed.has(item.sk));

  const head = headLines(batch, ordered, still, opts.width);
  const stillSection = stillFiringLines(batch.cluster, still, batch.runAt, opts);
  const footer = footerLines(batch.cluster, opts.width);
  // One entry per incident: the findings of one workload read as one problem (lib/rules/incident.ts).
  const groups = KIND_ORDER.map((kind) => {
    const transitions = ordered.filter((t) => t.kind === kind);
    return { kind, transitions, incidents: incidentsOf(batch.cluster, transitions) };
  }).filter((g) => g.transitions.length > 0);

  const fixedBytes =
    byteLength(joinLines([...head, ...stillSection, ...footer])) +
    groups.reduce(
      (sum, g) => sum + byteLength(joinLines(sectionTitle(g.kind, g.incidents.length))),
      0,
    ) +
    groups.length * MORE_LINE_RESERVE;
  let budget = opts.maxBodyBytes - fixedBytes;
  let omitted = 0;
  const sections: string[] = [];
  for (const group of groups) {
    const lines = sectionTitle(group.kind, group.incidents.length);
    let shown = 0;
    let entries = 0;
    for (const incident of group.incidents) {
      if (entries >= opts.maxEntriesPerSection) break;
      const entry = entryLines(incident, batch.runAt, opts);
      const size = byteLength(joinLines(entry));
      // Stop at the first entry that does not fit, so the worst findings always come first.
      if (size > budget) break;
      budget -= size;
      lines.push(...entry);
      shown += incident.members.length;
      entries += 1;
    }
    const rest = group.transitions.length - shown;
    if (rest > 0) {
      omitted += rest;
      lines.push(moreLine(rest), '');
    }
    sections.push(joinLines(lines));
  }
  const body = fitBytes(
    joinLines(head) + sections.join('') + joinLines(stillSection) + joinLines(footer),
    opts.maxBodyBytes,
  );
  return {
    subject: digestSubject(batch.cluster, ordered),
    body,
    attributes: digestAttributes(batch.cluster, ordered),
    carries: ordered.map(transitionKey),
    omitted,
  };
}

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

function digestAttributes(cluster: string, transitions: readonly Transition[]): MessageAttributes {
  const ruleIds = new Set(transitions.map((t) => t.finding.ruleId));
  const [onlyRule] = ruleIds;
  return {
    audience: 'human',
    severity: severityAttribute(transitions),
    cluster,
    status: 'changed',
    ...(ruleIds.size === 1 && onlyRule !== undefined ? { ruleId: onlyRule } : {}),
  };
}

function headLines(
  batch: NotificationBatch,
  ordered: readonly Transition[],
  still: readonly LedgerItem[],
  width: number,
): string[] {
  const count = (kind: TransitionKind): number => ordered.filter((t) => t.kind === kind).length;
  const changes = [
    `${count('firing')} new or changed`,
    `${count('repeat')} ${count('repeat') === 1 ? 'reminder' : 'reminders'}`,
    `${count('resolved')} resolved`,
  ].join(', ');
  const firingNow: Severity[] = [
    ...ordered.filter((t) => t.kind !== 'resolved').map(severityOf),
    ...still.map((item) => item.severity),
  ];
  const bySeverity = SEVERITIES.map(
    (s) => [s, firingNow.filter((x) => x === s).length] as const,
  ).filter(([, n]) => n > 0);
  const now =
    firingNow.length === 0
      ? 'Nothing is firing now.'
      : `Firing now: ${firingNow.length} (${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}).`;
  return [
    ...wrap(`skewguard report for cluster ${batch.cluster}, run at ${batch.runAt}`, width, ''),
    ...wrap(`Changes: ${changes}. ${now}`, width, ''),
    '',
  ];
}

function sectionTitle(kind: TransitionKind, count: number): string[] {
  return [`== ${SECTION_TITLES[kind]} (${count}) ==`, ''];
}

/** The incidents of some transitions, worst first as the transitions came. */
function incidentsOf(cluster: string, transitions: readonly Transition[]): Incident<Transition>[] {
  return groupIncidents(transitions, cluster, (t) => t.finding);
}

/** The worst severity among an incident's members: what its entry is tagged with. */
function incidentSeverity(incident: Incident<Transition>): Severity {
  return worstSeverity(incident.members.map(severityOf));
}

/**
 * One incident's entry: the headline finding in full (its summary names the cause once), the
 * other rules on one `Also:` line, and the commands of all members once each.
 */
function entryLines(
  incident: Incident<Transition>,
  runAt: string,
  opts: Required<HumanRenderOptions>,
): string[] {
  const transition = incident.headline;
  const others = incident.members.slice(1);
  const { finding, item, kind } = transition;
  const severity = incidentSeverity(incident);
  const lines: string[] = [];
  const was = !isChange(transition)
    ? ''
    : item.notifiedSeverity !== undefined && item.notifiedSeverity !== finding.severity
      ? ` (was ${item.notifiedSeverity.toUpperCase()})`
      : ' (changed)';
  lines.push(
    ...wrap(
      `[${severity.toUpperCase()}]${was} ${finding.ruleId} - ${subjectText(finding.subject)}`,
      opts.width,
      `${INDENT}${INDENT}`,
      '',
    ),
  );
  // A resolved entry says what changed, not the firing summary and its instructions.
  lines.push(
    ...wrap(kind === 'resolved' ? resolvedText(finding) : finding.summary, opts.width, INDENT),
  );
  if (others.length > 0)
    lines.push(
      ...wrap(
        `Also: ${others.map((t) => t.finding.ruleId).join(', ')}`,
        opts.width,
        `${INDENT}${' '.repeat(12)}`,
        INDENT,
      ),
    );
  const began = sinceOf(finding, item);
  if (kind === 'resolved') lines.push(field('Resolved', timeText(item.resolvedAt ?? runAt, runAt)));
  lines.push(field(began.label, timeText(began.at, runAt)));
  if (kind === 'repeat' && item.lastNotified !== undefined) {
    const times = item.notifyCount === 1 ? 'once' : `${item.notifyCount} times`;
    lines.push(field('Notified', `${times}, last ${timeText(item.lastNotified, runAt)}`));
  }
  lines.push(field('Runbook', finding.runbookUrl));
  const commands =
    kind === 'resolved'
      ? []
      : [...new Set(incident.members.flatMap((t) => commandsOf(t.finding)))].slice(
          0,
          opts.maxCommands,
        );
  if (commands.length > 0) {
    lines.push(`${INDENT}Commands:`);
    for (const command of commands) lines.push(`${INDENT}  ${clip(command, MAX_COMMAND_LENGTH)}`);
  }
  lines.push('');
  return lines;
}

/** `  Since:      value`, labels aligned. */
function field(label: string, value: string): string {
  return `${INDENT}${`${label}:`.padEnd(12)}${value}`;
}

function stillFiringLines(
  cluster: string,
  still: readonly LedgerItem[],
  runAt: string,
  opts: Required<HumanRenderOptions>,
): string[] {
  if (still.length === 0) return [];
  const sorted = [...still].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      beganAt(a).localeCompare(beganAt(b)) ||
      a.ruleId.localeCompare(b.ruleId),
  );
  const counts = SEVERITIES.map((s) => [s, still.filter((i) => i.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const oldest = [...still].sort((a, b) => beganAt(a).localeCompare(beganAt(b)))[0];
  const lines = [`== STILL FIRING, NO CHANGE (${still.length}) ==`, ''];
  lines.push(...wrap(`${counts}.`, opts.width, ''));
  if (oldest !== undefined) {
    lines.push(
      ...wrap(
        `Oldest: ${oldest.ruleId} - ${subjectText(oldest.subject)}, since ${timeText(beganAt(oldest), runAt)}.`,
        opts.width,
        '',
      ),
    );
  }
  lines.push('');
  // One line per incident, like the sections above.
  const incidents = groupIncidents(sorted, cluster, (i) => ({
    ruleId: i.ruleId,
    subject: i.subject,
    fingerprint: i.sk,
  }));
  const shown = incidents.slice(0, opts.maxStillFiringLines);
  for (const { headline: item, members } of shown) {
    // The also list goes last: when the line is cut at the width, it is what gives way.
    const also =
      members.length > 1
        ? `; also ${members
            .slice(1)
            .map((m) => m.ruleId)
            .join(', ')}`
        : '';
    const worst = worstSeverity(members.map((m) => m.severity));
    const line = `- [${worst.toUpperCase()}] ${item.ruleId} - ${subjectText(item.subject)}, since ${relativeAge(beganAt(item), runAt) ?? beganAt(item)}${also}`;
    lines.push(clip(line, opts.width));
  }
  const hidden = shown.reduce((n, i) => n - i.members.length, still.length);
  if (hidden > 0) lines.push(moreLine(hidden));
  lines.push('');
  return lines;
}

function footerLines(cluster: string, width: number): string[] {
  return [
    '--',
    ...wrap(
      `Sent by skewguard for cluster ${cluster}. Each change is also published as JSON with the ` +
        'message attribute audience=machine; `skewguard check` shows the full evidence.',
      width,
      '',
    ),
  ];
}

function moreLine(count: number): string {
  return `  ... and ${count} more; see the audience=machine messages or run skewguard check.`;
}

function beganAt(item: LedgerItem): string {
  return item.since ?? item.firstSeen;
}

function severityOf(transition: Transition): Severity {
  return transition.finding.severity;
}

/** Firing before reminders before resolved; within a kind, worst severity first, order kept. */
function orderForDigest(transitions: readonly Transition[]): Transition[] {
  return [...transitions].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      severityRank(b.finding.severity) - severityRank(a.finding.severity),
  );
}

function withDefaults(options: HumanRenderOptions): Required<HumanRenderOptions> {
  const opts = {
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    width: options.width ?? 100,
    maxEntriesPerSection: options.maxEntriesPerSection ?? 25,
    maxStillFiringLines: options.maxStillFiringLines ?? 20,
    maxCommands: options.maxCommands ?? 8,
  };
  for (const [name, value] of Object.entries(opts)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(
        `human digest option ${name} is ${value}; give a whole number ≥ 0 (see HumanRenderOptions)`,
      );
    }
  }
  if (opts.maxBodyBytes < 4096) {
    throw new RangeError(
      `human digest option maxBodyBytes is ${opts.maxBodyBytes}; give at least 4096 so the summary and counts fit`,
    );
  }
  return opts;
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Safety net: cuts at a line end so the body never exceeds `max` bytes, whatever the estimate. */
function fitBytes(text: string, max: number): string {
  if (byteLength(text) <= max) return text;
  const note = '\n... (cut to fit the message size limit)\n';
  let cut = Buffer.from(text, 'utf8')
    .subarray(0, max - byteLength(note))
    .toString('utf8')
    // A cut inside a multi-byte character decodes to U+FFFD; drop it with the partial line.
    .replace(/\uFFFD$/u, '');
  const lastNewline = cut.lastIndexOf('\n');
  if (lastNewline > 0) cut = cut.slice(0, lastNewline);
  return cut + note;
}

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
import { digestSubject, incidentSeverity, incidentsOf, severityOf } from './human-subject';
import { severityAttribute } from './routing';
import {
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

export { digestSubject } from './human-subject';

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

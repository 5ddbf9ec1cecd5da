/**
 * Wording helpers the human digest, chat and machine renderers and the CLI report share: subject
 * text, ages, ASCII subject lines, wrapping, and the commands a finding carries.
 */
import type { LedgerItem, Transition } from '../ledger/types';
import type { Finding, Severity } from '../rules/model';
import { severityRank } from '../rules/model';
import { resolvedSummary } from '../rules/resolved';
import { clip } from '../util/fit-details';

export { byteLength, clip } from '../util/fit-details';
export { subjectText } from './subject-text';

/** SNS's limit for an email subject: ASCII, one line, at most 100 characters. */
export const MAX_SUBJECT_LENGTH = 100;

/**
 * Wraps text at `width`, indenting continuation lines with `indent` and the first with
 * `firstIndent` (default the same). Words longer than a line (URLs, image references, commands)
 * are not split, so such a line may run past `width`.
 */
export function wrap(text: string, width: number, indent: string, firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = '';
  const lead = (): string => (lines.length === 0 ? firstIndent : indent);
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && lead().length + line.length + 1 + word.length > width) {
      lines.push(lead() + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(lead() + line);
  return lines;
}

/** The worst of some severities; `info` for none. */
export function worstSeverity(severities: readonly Severity[]): Severity {
  let worst: Severity = 'info';
  for (const s of severities) if (severityRank(s) > severityRank(worst)) worst = s;
  return worst;
}

/** When the condition began: the rule's `since` when it could tell, else when the ledger first saw it. */
export function sinceOf(finding: Finding, item: LedgerItem): { label: string; at: string } {
  return finding.since !== undefined
    ? { label: 'Since', at: finding.since }
    : { label: 'First seen', at: item.firstSeen };
}

/**
 * What a resolved notice says: the rule's own past-tense wording of what changed, worded from
 * the last firing finding (`Rule.resolved`), never the firing summary with its instructions.
 */
export function resolvedText(finding: Finding): string {
  return resolvedSummary(finding.ruleId, finding);
}

/**
 * Whether a `firing` transition re-notifies an episode people already heard fire: its severity
 * or its material state changed (lib/ledger/reconcile.ts), as opposed to a new finding.
 */
export function isChange(transition: Transition): boolean {
  return transition.kind === 'firing' && transition.item.notifiedStatus === 'firing';
}

/** The filled-in kubectl commands a rule put in `details.commands`, if any. */
export function commandsOf(finding: Finding): string[] {
  const commands = finding.details['commands'];
  if (!Array.isArray(commands)) return [];
  return commands.filter((c): c is string => typeof c === 'string' && c.trim() !== '');
}

/** `2024-05-01T08:40:00Z (3h 20m ago)`, or just the time when either side is not a date. */
export function timeText(at: string, runAt: string): string {
  const age = relativeAge(at, runAt);
  return age === undefined ? at : `${at} (${age})`;
}

/**
 * How long before `runAt` the time `at` was: `3h 20m ago`, `2d 4h ago`, `under 1m ago`, or
 * `in 5m` when a clock ran ahead. Undefined when either is not a date.
 */
export function relativeAge(at: string, runAt: string): string | undefined {
  const from = Date.parse(at);
  const to = Date.parse(runAt);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return undefined;
  const diff = to - from;
  const text = durationText(Math.abs(diff));
  if (text === undefined) return 'under 1m ago';
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

function durationText(ms: number): string | undefined {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return undefined;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return mins > 0 ? `${hours}h ${mins}m` : `${hours}h`;
  return `${mins}m`;
}

/**
 * Printable ASCII on one line: accents dropped (`é` → `e`), other characters replaced by `?`,
 * whitespace runs (newlines included) collapsed. SNS rejects non-ASCII or multi-line subjects.
 */
export function asciiLine(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/gu, ' ')
    .replace(/[^\x20-\x7e]+/gu, '?')
    .trim();
}

/** An ASCII subject line of at most 100 characters. */
export function asciiSubject(text: string): string {
  return clip(asciiLine(text), MAX_SUBJECT_LENGTH);
}

/**
 * `--output table`: the report for the person at the terminal — a headline of what fires, what
 * waits and what was checked, then each finding with its evidence, then coverage and notes.
 */
import type { Severity } from '../rules/model';
import { SEVERITIES } from '../rules/model';
import { formatDuration } from '../rules/duration';
import { severityRank } from '../rules';
import { commandsOf, subjectText, timeText, wrap } from '../notify/text';
import type { CheckReport, ReportedFinding } from './report';
import {
  countBySeverity,
  coverageLines,
  inPart,
  incidentsOf,
  incidentTextFinding,
  noFindings,
  remarksOf,
  ruleCounts,
} from './report';
import type { TerminalStyle } from './terminal';
import { terminalStyle } from './terminal';

const INDENT = '  ';

/**
 * The terminal report, wrapped at the style's width; runbook URLs and kubectl commands are never
 * broken, so they paste whole, and may run longer. Colour is applied after wrapping, so escape
 * codes never count towards the width.
 */
export function renderTerminalReport(
  report: CheckReport,
  style: TerminalStyle = terminalStyle(),
): string {
  const { width } = style;
  const firing = worstFirst(report.findings.filter((f) => f.status === 'firing'));
  const pending = worstFirst(report.findings.filter((f) => f.status === 'pending'));
  const sources = report.sources.map((s) => `${s.source} ${s.status}`).join(', ');
  const out: string[] = [
    ...wrap(
      [`skewguard · cluster ${report.cluster}`, `as of ${report.collectedAt}`, sources]
        .filter((part) => part !== '')
        .join(' · '),
      width,
      INDENT,
      '',
    ).map(style.dim),
    ...wrap(headline(report, firing, pending), width, INDENT, '').map(style.bold),
    '',
  ];
  if (report.findings.length === 0) out.push(...wrap(noFindings(report), width, ''), '');
  // One entry per workload incident: the headline finding, the other rules on its `Also:` line.
  const entries = (findings: readonly ReportedFinding[]): ReportedFinding[] =>
    worstFirst(incidentsOf(report.cluster, findings).map(incidentTextFinding));
  const count = (findings: readonly ReportedFinding[], shown: number): string =>
    shown === findings.length
      ? `${shown}`
      : `${findings.length} findings in ${shown} incident${shown === 1 ? '' : 's'}`;
  if (firing.length > 0) {
    const shown = entries(firing);
    out.push(style.bold(`FIRING (${count(firing, shown.length)})`), '');
    for (const f of shown) out.push(...findingLines(f, report.collectedAt, style), '');
  }
  if (pending.length > 0) {
    const shown = entries(pending);
    out.push(
      style.bold(
        `PENDING (${count(pending, shown.length)}): holding now; each fires once held for its \`for\``,
      ),
      '',
    );
    for (const f of shown) out.push(...findingLines(f, report.collectedAt, style), '');
  }
  out.push(...coverageLines(report, width));
  const failedSources = report.sources.filter((s) => s.status === 'failed').length;
  remarksOf(report).forEach((remark, i) =>
    out.push(...wrap(i < failedSources ? remark : `Note: ${remark}`, width, '')),
  );
  return `${out.join('\n')}\n`;
}

/**
 * `7 firing (2 critical, 5 warning) · 1 pending (for 24h) · 20 of 25 rules checked, 5 not
 * checked`: the counts come from the findings and the coverage, never from the catalogue.
 */
export function headline(
  report: CheckReport,
  firing: readonly ReportedFinding[],
  pending: readonly ReportedFinding[],
): string {
  const counts = countBySeverity(firing);
  const bySeverity = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const fors = [...new Set(pending.map((f) => f.forSeconds))].sort((a, b) => a - b);
  const { checked, checkable, skipped, partial } = ruleCounts(report);
  return [
    `${firing.length} firing${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`,
    `${pending.length} pending${fors.length > 0 ? ` (for ${fors.map(formatDuration).join(', ')})` : ''}`,
    `${checked} of ${checkable} rules checked${inPart(partial)}${skipped > 0 ? `, ${skipped} not checked` : ''}`,
  ].join(' · ');
}

/** Critical first, then warning, then info; the rules' order within a severity. */
function worstFirst(findings: readonly ReportedFinding[]): ReportedFinding[] {
  return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/** One finding: its heading, summary, since, what it waits on, runbook and commands. */
function findingLines(f: ReportedFinding, runAt: string, style: TerminalStyle): string[] {
  const label = `[${f.severity.toUpperCase()}]`;
  const [first = '', ...rest] = wrap(
    `${label} ${f.ruleId} - ${subjectText(f.subject)}`,
    style.width,
    `${INDENT}${INDENT}`,
    '',
  );
  const lines = [colourLabel(first, label, f.severity, style), ...rest];
  lines.push(...wrap(f.summary, style.width, INDENT));
  if (f.since !== undefined) lines.push(field('Since', timeText(f.since, runAt)));
  if (f.status === 'pending')
    lines.push(field('Fires', `once held for ${formatDuration(f.forSeconds)}`));
  lines.push(
    field('Runbook', `${f.runbookUrl}`),
    field('Explain', `skewguard explain ${f.ruleId}`),
  );
  const commands = commandsOf(f);
  if (commands.length > 0) {
    lines.push(`${INDENT}Commands:`);
    for (const command of commands) lines.push(`${INDENT}${INDENT}${style.code(command)}`);
  }
  return lines;
}

function colourLabel(
  line: string,
  label: string,
  severity: Severity,
  style: TerminalStyle,
): string {
  return line.startsWith(label)
    ? `${style.severity(severity, label)}${line.slice(label.length)}`
    : line;
}

/** `  Since:    value`, labels aligned. */
function field(label: string, value: string): string {
  return `${INDENT}${`${label}:`.padEnd(10)}${value}`;
}

/** What `skewguard check` reports, its JSON and markdown renderings, and the parts the terminal report shares. */
import type {
  ClusterSnapshot,
  CoverageEntry,
  Evaluation,
  Finding,
  Severity,
  SourceStatus,
} from '../rules/model';
import { SEVERITIES } from '../rules/model';
import { formatDuration } from '../rules/duration';
import type { Incident } from '../rules/incident';
import { groupIncidents, incidentKey } from '../rules/incident';
import { subjectText, wrap } from '../notify/text';
import { notCheckedGroups, skippedOf } from './not-checked';

/** What `skewguard check` reports: the documented `--output json` shape. */
export interface CheckReport {
  readonly cluster: string;
  readonly collectedAt: string;
  readonly sources: readonly SourceStatus[];
  readonly findings: readonly ReportedFinding[];
  readonly coverage: readonly CoverageEntry[];
  /** Remarks about the input (ignored kinds, deprecated fields) and the data tables used. */
  readonly notes: readonly string[];
}

/**
 * A finding as `check` reports it: `firing`, or `pending` while it has not yet held for its
 * `for` — the ledger decides, the same way for the CLI and the scheduled deployment.
 */
export type ReportedFinding = Finding & {
  readonly status: 'firing' | 'pending';
  /**
   * The incident the finding belongs to (lib/rules/incident.ts): shared by the rollout findings
   * of one workload, the finding's own fingerprint otherwise; the pager's dedupKey.
   */
  readonly incident: string;
};

/** Combines a snapshot, its evaluation and each finding's ledger status into the report. */
export function toReport(
  snapshot: ClusterSnapshot,
  evaluation: Evaluation,
  statusOf: (finding: Finding) => ReportedFinding['status'],
): CheckReport {
  return {
    cluster: snapshot.cluster,
    collectedAt: snapshot.collectedAt,
    sources: snapshot.sources,
    findings: evaluation.findings.map((f) => ({
      ...f,
      status: statusOf(f),
      incident: incidentKey(snapshot.cluster, f),
    })),
    coverage: evaluation.coverage,
    // The input's remarks, then the engine's: the data tables the rules used, and stale ones.
    notes: [...snapshot.notes, ...(evaluation.notes ?? [])],
  };
}

/** `--output json`: exactly one JSON object. */
export function renderJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Counts of findings per severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** `--output markdown`: tables that paste into a pull request or wiki, firing apart from pending. */
export function renderMarkdown(report: CheckReport): string {
  const firing = report.findings.filter((f) => f.status === 'firing');
  const pending = report.findings.filter((f) => f.status === 'pending');
  const counts = countBySeverity(firing);
  const out: string[] = [
    `### skewguard: ${cell(report.cluster)}`,
    '',
    `Firing: ${SEVERITIES.map((s) => `**${counts[s]}** ${s}`).join(' · ')}; pending: **${pending.length}** — as of ${report.collectedAt}, from ${report.sources.map((s) => `${s.source} (${s.status})`).join(', ')}`,
    '',
  ];
  const head = '| Severity | Rule | Subject | Summary |';
  const row = (f: ReportedFinding): string =>
    `| ${f.severity} | [${f.ruleId}](${f.runbookUrl}) | ${cell(subjectText(f.subject))} | ${cell(f.summary)} |`;
  if (report.findings.length === 0) out.push(noFindings(report));
  if (firing.length > 0) {
    out.push(`#### Firing (${firing.length})`, '', head, '|---|---|---|---|');
    out.push(...incidentsOf(report.cluster, firing).map((i) => row(incidentRowFinding(i))));
  }
  if (pending.length > 0) {
    if (firing.length > 0) out.push('');
    out.push(
      `#### Pending (${pending.length}): holding now, notified once held for their \`for\``,
      '',
      `${head} Fires once held for |`,
      '|---|---|---|---|---|',
    );
    for (const f of incidentsOf(report.cluster, pending).map(incidentRowFinding)) {
      const held = f.since ? ` (holding since ${f.since})` : '';
      out.push(`${row(f)} ${formatDuration(f.forSeconds)}${held} |`);
    }
  }
  const groups = notCheckedGroups(report.coverage);
  if (groups.length > 0) {
    out.push('', '<details><summary>Rules not checked (not passed)</summary>', '');
    for (const g of groups) out.push(`- ${cell(g.cause)}: ${g.ruleIds.join(', ')}`);
    out.push('', '</details>');
  }
  const partial = partialOf(report.coverage);
  if (partial.length > 0) {
    out.push(
      '',
      '<details><summary>Rules checked in part (their silence proves nothing)</summary>',
      '',
    );
    for (const p of partial) out.push(`- ${p.ruleId}: ${cell(p.reason)}`);
    out.push('', '</details>');
  }
  const notes = remarksOf(report);
  if (notes.length > 0) {
    out.push('', '**Notes**', '');
    for (const note of notes) out.push(`- ${cell(note)}`);
  }
  return `${out.join('\n')}\n`;
}

/** "No findings." — and, when rules were not checked, how many, so it never reads as all clear. */
export function noFindings(report: CheckReport): string {
  const { checkable, skipped } = ruleCounts(report);
  return skipped === 0
    ? 'No findings.'
    : `No findings. ${skipped} of ${checkable} rules were not checked, so this is not an all-clear (see below).`;
}

/**
 * Rules checked, not checked, and both together, from the run's coverage: disabled rules are
 * left out, as the config turned them off.
 */
export function ruleCounts(report: CheckReport): {
  checked: number;
  skipped: number;
  checkable: number;
  /** Checked on incomplete input: counted in `checked`, named apart. */
  partial: number;
} {
  const checkable = report.coverage.filter((c) => c.status !== 'disabled').length;
  const skipped = skippedOf(report.coverage).length;
  const partial = partialOf(report.coverage).length;
  return { checked: checkable - skipped, skipped, checkable, partial };
}

/** Rules evaluated on incomplete input, with why. */
export function partialOf(
  coverage: readonly CoverageEntry[],
): Extract<CoverageEntry, { status: 'partial' }>[] {
  return coverage.filter(
    (c): c is Extract<CoverageEntry, { status: 'partial' }> => c.status === 'partial',
  );
}

/** ` (2 in part)` after a checked count, when some rules were checked on incomplete input. */
export function inPart(partial: number): string {
  return partial > 0 ? ` (${partial} in part)` : '';
}

/** `Coverage: 18 of 21 rules checked`, then each cause of the rest once, with its rules. */
export function coverageLines(report: CheckReport, width: number): string[] {
  const { checked, checkable, skipped, partial } = ruleCounts(report);
  const out = [
    `Coverage: ${checked} of ${checkable} rules checked${inPart(partial)}${skipped > 0 ? `; ${skipped} not checked (not passed):` : ''}`,
  ];
  for (const g of notCheckedGroups(report.coverage)) {
    out.push(...wrap(`${g.cause} (${g.ruleIds.join(', ')})`, width, '    ', '  '));
  }
  for (const p of partialOf(report.coverage)) {
    out.push(
      ...wrap(
        `checked in part, so its silence proves nothing: ${p.reason} (${p.ruleId})`,
        width,
        '    ',
        '  ',
      ),
    );
  }
  return out;
}

/** Failed sources, then the input's notes: what every text output prints after the findings. */
export function remarksOf(report: CheckReport): string[] {
  return [
    ...report.sources
      .filter((s) => s.status === 'failed')
      .map((s) => `Source ${s.source} failed (${s.kind ?? 'error'}): ${s.reason ?? ''}`),
    ...report.notes,
  ];
}

/** Findings as incidents, one per workload (lib/rules/incident.ts), in report order. */
export function incidentsOf(
  cluster: string,
  findings: readonly ReportedFinding[],
): Incident<ReportedFinding>[] {
  return groupIncidents(findings, cluster, (f) => f);
}

/**
 * An incident as one markdown row: the headline finding at the incident's worst severity, its
 * summary (which names the cause once) and the other rules as `also: …`.
 */
function incidentRowFinding({ headline, members }: Incident<ReportedFinding>): ReportedFinding {
  if (members.length === 1) return headline;
  const worst = SEVERITIES.find((s) => members.some((m) => m.severity === s)) ?? headline.severity;
  const also = members
    .slice(1)
    .map((m) => `[${m.ruleId}](${m.runbookUrl})`)
    .join(', ');
  return { ...headline, severity: worst, summary: `${headline.summary} — also: ${also}` };
}

/** An incident as one terminal entry: the headline, its summary then `Also: …` plain rule ids. */
export function incidentTextFinding({
  headline,
  members,
}: Incident<ReportedFinding>): ReportedFinding {
  if (members.length === 1) return headline;
  const also = members
    .slice(1)
    .map((m) => m.ruleId)
    .join(', ');
  return {
    ...incidentRowFinding({ headline, members, key: '' }),
    summary: `${headline.summary} Also: ${also}.`,
  };
}

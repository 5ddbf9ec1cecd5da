/**
 * Maintainer script, not run in CI: regenerates lib/rules/data/kubernetes-versions.ts from the
 * upstream sources (Kubernetes' release data and the EKS release calendar), keeping rows the
 * sources no longer list, and stamps it with today's date.
 *
 *   npx tsx scripts/update-support-table.ts            # fetch, merge, rewrite, prettier
 *   npx tsx scripts/update-support-table.ts --dry-run  # print the changes only
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { EksMinor, UpstreamMinor } from '../lib/rules/data/kubernetes-versions';
import {
  EKS_MINORS,
  EKS_PRICING,
  KUBERNETES_VERSIONS_TABLE,
  UPSTREAM_MINORS,
} from '../lib/rules/data/kubernetes-versions';

const K8S_DATA = 'https://raw.githubusercontent.com/kubernetes/website/main/data/releases';
const EKS_CALENDAR =
  'https://raw.githubusercontent.com/awsdocs/amazon-eks-user-guide/mainline/latest/ug/versioning/kubernetes-versions.adoc';
const OUT = join(__dirname, '..', 'lib', 'rules', 'data', 'kubernetes-versions.ts');
/** About one Kubernetes release cycle: after it, a new minor may be missing from the table. */
const COVERS_DAYS = 121;

async function text(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/** `1.31` → 31, for sorting. */
const minorOf = (minor: string): number => Number(minor.split('.')[1]);

/** A YAML date (parsed as a string or a Date) as `YYYY-MM-DD`. */
function isoDate(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return undefined;
}

/** Upstream rows: schedule.yaml for supported minors (planned dates), eol.yaml for final ones. */
async function upstreamRows(): Promise<UpstreamMinor[]> {
  const schedule = parse(await text(`${K8S_DATA}/schedule.yaml`)) as {
    schedules?: { release: unknown; releaseDate?: unknown; endOfLifeDate?: unknown }[];
  };
  const eol = parse(await text(`${K8S_DATA}/eol.yaml`)) as {
    branches?: { release: unknown; endOfLifeDate?: unknown }[];
  };
  const rows = new Map<string, UpstreamMinor>(UPSTREAM_MINORS.map((r) => [r.minor, r]));
  for (const s of schedule.schedules ?? []) {
    const minor = String(s.release);
    const endOfLife = isoDate(s.endOfLifeDate);
    const releaseDate = isoDate(s.releaseDate) ?? rows.get(minor)?.releaseDate;
    if (!endOfLife || !releaseDate) continue;
    rows.set(minor, { minor, releaseDate, endOfLife, planned: true });
  }
  for (const b of eol.branches ?? []) {
    const minor = String(b.release);
    const endOfLife = isoDate(b.endOfLifeDate);
    const known = rows.get(minor);
    // eol.yaml has no release dates: minors it alone knows keep the date the table had.
    if (!endOfLife || !known) continue;
    rows.set(minor, { minor, releaseDate: known.releaseDate, endOfLife });
  }
  return [...rows.values()].sort((a, b) => minorOf(a.minor) - minorOf(b.minor));
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `November 26, 2025` → `2025-11-26`; month-only dates are approximate and skipped. */
function calendarDate(cell: string): string | undefined {
  const m = /^([A-Z][a-z]+) (\d{1,2}), (\d{4})$/.exec(cell.trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1] ?? '') + 1;
  if (month === 0) return undefined;
  return `${m[3]}-${String(month).padStart(2, '0')}-${(m[2] ?? '').padStart(2, '0')}`;
}

/** EKS rows from the release calendar table (`|`1.34`` then upstream, EKS, end std, end ext). */
async function eksRows(): Promise<EksMinor[]> {
  const adoc = await text(EKS_CALENDAR);
  const rows = new Map<string, EksMinor>(EKS_MINORS.map((r) => [r.minor, r]));
  const cells = adoc
    .slice(adoc.indexOf('[#kubernetes-release-calendar]'))
    .split('\n')
    .filter((l) => l.startsWith('|') && l !== '|===')
    .map((l) => l.slice(1).trim());
  let found = 0;
  for (let i = 0; i < cells.length; i += 1) {
    const minor = /^`(1\.\d+)`$/.exec(cells[i] ?? '')?.[1];
    if (!minor) continue;
    const [, eksRelease, endStd, endExt] = cells.slice(i + 1, i + 5).map(calendarDate);
    if (!eksRelease || !endStd || !endExt) continue;
    rows.set(minor, {
      minor,
      releaseDate: eksRelease,
      endOfStandardSupport: endStd,
      endOfExtendedSupport: endExt,
    });
    found += 1;
  }
  if (found === 0) throw new Error(`${EKS_CALENDAR}: no release calendar rows found`);
  return [...rows.values()].sort((a, b) => minorOf(a.minor) - minorOf(b.minor));
}

function render(upstream: UpstreamMinor[], eks: EksMinor[], madeOn: string): string {
  const coversUntil = new Date(Date.parse(`${madeOn}T00:00:00Z`) + COVERS_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const table = { ...KUBERNETES_VERSIONS_TABLE, madeOn, coversUntil };
  const header = readHeader();
  return `${header}
/** Where the dates come from and when they were checked. */
export const KUBERNETES_VERSIONS_TABLE: DataTable = ${JSON.stringify(table, null, 2)};

/** Upstream minors, oldest first. */
export const UPSTREAM_MINORS: readonly UpstreamMinor[] = ${JSON.stringify(upstream, null, 2)};

/** EKS minors, oldest first. */
export const EKS_MINORS: readonly EksMinor[] = ${JSON.stringify(eks, null, 2)};

/** What an EKS cluster costs per hour in each support phase (control plane only), and a month of it. */
export const EKS_PRICING = {
  standardPerClusterHour: ${EKS_PRICING.standardPerClusterHour},
  extendedPerClusterHour: ${EKS_PRICING.extendedPerClusterHour},
  /** AWS prices a month as 730 hours. */
  hoursPerMonth: ${EKS_PRICING.hoursPerMonth},
  source: '${EKS_PRICING.source}',
} as const;
`;
}

/** The file's first line and row types, kept as written by hand. */
function readHeader(): string {
  const current = execFileSync('git', ['show', `HEAD:lib/rules/data/kubernetes-versions.ts`], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
  });
  return current.slice(0, current.indexOf('/** Where the dates come from'));
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const [upstream, eks] = await Promise.all([upstreamRows(), eksRows()]);
  const madeOn = new Date().toISOString().slice(0, 10);
  const changed = [
    ...upstream.filter(
      (r) => JSON.stringify(r) !== JSON.stringify(UPSTREAM_MINORS.find((o) => o.minor === r.minor)),
    ),
    ...eks.filter(
      (r) => JSON.stringify(r) !== JSON.stringify(EKS_MINORS.find((o) => o.minor === r.minor)),
    ),
  ];
  for (const row of changed) console.log(`changed or new: ${JSON.stringify(row)}`);
  if (dryRun) return;
  writeFileSync(OUT, render(upstream, eks, madeOn));
  execFileSync('npx', ['prettier', '--write', OUT], { stdio: 'inherit' });
  console.log(
    `wrote ${OUT} (made ${madeOn}); review the diff, update the dates in README.md, run the rule tests`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

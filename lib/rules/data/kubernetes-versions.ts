/** Support dates of Kubernetes minors upstream and on EKS, one row per minor (written by scripts/update-support-table.ts). */
import type { DataTable } from './table';

/** A minor as the Kubernetes project supports it. */
export interface UpstreamMinor {
  /** `1.31`. */
  readonly minor: string;
  /** Date of the `.0` release. */
  readonly releaseDate: string;
  /** Date patch releases stop, security fixes included. */
  readonly endOfLife: string;
  /** True while the date is the release schedule's plan rather than the final one of eol.yaml. */
  readonly planned?: boolean;
}

/** A minor as Amazon EKS supports it. */
export interface EksMinor {
  readonly minor: string;
  /** Date EKS offered it. */
  readonly releaseDate: string;
  /** From this day extended support is billed, or a STANDARD-policy cluster is upgraded. */
  readonly endOfStandardSupport: string;
  /** From this day EKS upgrades every cluster still on the minor. */
  readonly endOfExtendedSupport: string;
}

/** Where the dates come from and when they were checked. */
export const KUBERNETES_VERSIONS_TABLE: DataTable = {
  name: 'Kubernetes and EKS support dates',
  madeOn: '2026-12-07',
  coversUntil: '2027-04-07',
  sources: [
    {
      title:
        'Kubernetes release history and end-of-life dates (data/releases/eol.yaml, schedule.yaml)',
      url: 'https://kubernetes.io/releases/',
    },
    {
      title: 'Amazon EKS Kubernetes release calendar',
      url: 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html',
    },
    {
      title: 'Amazon EKS release dates (cross-check, 1.35)',
      url: 'https://endoflife.date/amazon-eks',
    },
    { title: 'Amazon EKS pricing', url: 'https://aws.amazon.com/eks/pricing/' },
  ],
  update:
    'Update skewguard; maintainers refresh the table with `npx tsx scripts/update-support-table.ts`.',
};

/** Upstream minors, oldest first. */
export const UPSTREAM_MINORS: readonly UpstreamMinor[] = [
  { minor: '1.19', releaseDate: '2020-08-26', endOfLife: '2021-10-28' },
  { minor: '1.20', releaseDate: '2020-12-08', endOfLife: '2022-02-28' },
  { minor: '1.21', releaseDate: '2021-04-08', endOfLife: '2022-06-28' },
  { minor: '1.22', releaseDate: '2021-08-04', endOfLife: '2022-12-08' },
  { minor: '1.23', releaseDate: '2021-12-07', endOfLife: '2023-02-28' },
  { minor: '1.24', releaseDate: '2022-05-03', endOfLife: '2023-07-28' },
  { minor: '1.25', releaseDate: '2022-08-23', endOfLife: '2023-10-28' },
  { minor: '1.26', releaseDate: '2022-12-09', endOfLife: '2024-02-28' },
  { minor: '1.27', releaseDate: '2023-04-11', endOfLife: '2024-07-16' },
  { minor: '1.28', releaseDate: '2023-08-15', endOfLife: '2024-10-22' },
  { minor: '1.29', releaseDate: '2023-12-13', endOfLife: '2025-02-28' },
  { minor: '1.30', releaseDate: '2024-04-17', endOfLife: '2025-07-15' },
  { minor: '1.31', releaseDate: '2024-08-13', endOfLife: '2025-11-11' },
  { minor: '1.32', releaseDate: '2024-12-11', endOfLife: '2026-02-28' },
  { minor: '1.33', releaseDate: '2025-04-23', endOfLife: '2026-06-28', planned: true },
  { minor: '1.34', releaseDate: '2025-08-27', endOfLife: '2026-10-27', planned: true },
  { minor: '1.35', releaseDate: '2025-12-17', endOfLife: '2027-02-28', planned: true },
  { minor: '1.36', releaseDate: '2026-04-22', endOfLife: '2027-06-28', planned: true },
  { minor: '1.37', releaseDate: '2026-08-26', endOfLife: '2027-10-28', planned: true },
];

/** EKS minors, oldest first. */
export const EKS_MINORS: readonly EksMinor[] = [
  {
    minor: '1.23',
    releaseDate: '2022-08-11',
    endOfStandardSupport: '2023-10-11',
    endOfExtendedSupport: '2024-10-11',
  },
  {
    minor: '1.24',
    releaseDate: '2022-11-15',
    endOfStandardSupport: '2024-01-31',
    endOfExtendedSupport: '2025-01-31',
  },
  {
    minor: '1.25',
    releaseDate: '2023-02-21',
    endOfStandardSupport: '2024-05-01',
    endOfExtendedSupport: '2025-05-01',
  },
  {
    minor: '1.26',
    releaseDate: '2023-04-11',
    endOfStandardSupport: '2024-06-11',
    endOfExtendedSupport: '2025-06-11',
  },
  {
    minor: '1.27',
    releaseDate: '2023-05-24',
    endOfStandardSupport: '2024-07-24',
    endOfExtendedSupport: '2025-07-24',
  },
  {
    minor: '1.28',
    releaseDate: '2023-09-26',
    endOfStandardSupport: '2024-11-26',
    endOfExtendedSupport: '2025-11-26',
  },
  {
    minor: '1.29',
    releaseDate: '2024-01-23',
    endOfStandardSupport: '2025-03-23',
    endOfExtendedSupport: '2026-03-23',
  },
  {
    minor: '1.30',
    releaseDate: '2024-05-23',
    endOfStandardSupport: '2025-07-23',
    endOfExtendedSupport: '2026-07-23',
  },
  {
    minor: '1.31',
    releaseDate: '2024-09-26',
    endOfStandardSupport: '2025-11-26',
    endOfExtendedSupport: '2026-11-26',
  },
  {
    minor: '1.32',
    releaseDate: '2025-01-23',
    endOfStandardSupport: '2026-03-23',
    endOfExtendedSupport: '2027-03-23',
  },
  {
    minor: '1.33',
    releaseDate: '2025-05-29',
    endOfStandardSupport: '2026-07-29',
    endOfExtendedSupport: '2027-07-29',
  },
  {
    minor: '1.34',
    releaseDate: '2025-10-02',
    endOfStandardSupport: '2026-12-02',
    endOfExtendedSupport: '2027-12-02',
  },
  {
    minor: '1.35',
    releaseDate: '2026-01-28',
    endOfStandardSupport: '2027-03-27',
    endOfExtendedSupport: '2028-03-27',
  },
];

/** What an EKS cluster costs per hour in each support phase (control plane only), and a month of it. */
export const EKS_PRICING = {
  standardPerClusterHour: 0.1,
  extendedPerClusterHour: 0.6,
  /** AWS prices a month as 730 hours. */
  hoursPerMonth: 730,
  source: 'https://aws.amazon.com/eks/pricing/',
} as const;

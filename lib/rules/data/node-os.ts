/** End-of-life dates of the operating systems nodes run, one row per OS release, matched on `nodeInfo.osImage`. */
import type { DataTable } from './table';

/** One OS release and when it stops getting fixes. */
export interface NodeOsRow {
  /** Stable id for subjects and details: `al2`. */
  readonly id: string;
  /** Name for people: `Amazon Linux 2`. */
  readonly name: string;
  /** Matches `osImage` as kubelets report it (`Amazon Linux 2`, `Ubuntu 22.04.4 LTS`). */
  readonly osImage: RegExp;
  /** End of (standard) support; absent when the OS has no single date (see `note`). */
  readonly endOfLife?: string;
  /** On EKS the optimized AMIs may end earlier than the OS: the date AWS stops publishing them. */
  readonly eksAmiEndOfSupport?: string;
  /** The newest Kubernetes minor EKS publishes node images of this OS for. */
  readonly eksLastMinor?: number;
  /** What to move to. */
  readonly replacement: string;
  readonly note?: string;
  readonly source: string;
}

/** Where the dates come from and when they were checked. */
export const NODE_OS_TABLE: DataTable = {
  name: 'Node OS end of life',
  madeOn: '2026-12-07',
  coversUntil: '2027-06-07',
  sources: [
    { title: 'Amazon Linux 2 FAQs', url: 'https://aws.amazon.com/amazon-linux-2/faqs/' },
    {
      title: 'Amazon EKS AL2 and AL2-accelerated AMI deprecation FAQs',
      url: 'https://docs.aws.amazon.com/eks/latest/userguide/eks-ami-deprecation-faqs.html',
    },
    {
      title: 'Amazon Linux 2023 FAQs',
      url: 'https://aws.amazon.com/linux/amazon-linux-2023/faqs/',
    },
    { title: 'Ubuntu release cycle', url: 'https://ubuntu.com/about/release-cycle' },
    {
      title: 'Red Hat Enterprise Linux life cycle',
      url: 'https://access.redhat.com/support/policy/updates/errata',
    },
    {
      title: 'Bottlerocket variants',
      url: 'https://bottlerocket.dev/en/os/latest/concepts/variants/',
    },
  ],
  update: 'Update skewguard; maintainers edit lib/rules/data/node-os.ts from the sources listed.',
};

/**
 * Known node operating systems. Ubuntu and RHEL publish a month; the first day of it is used,
 * so warnings come early rather than late.
 */
export const NODE_OS: readonly NodeOsRow[] = [
  {
    id: 'al2',
    name: 'Amazon Linux 2',
    osImage: /^Amazon Linux 2$/,
    endOfLife: '2026-06-30',
    eksAmiEndOfSupport: '2025-11-26',
    eksLastMinor: 32,
    replacement: 'Amazon Linux 2023 or Bottlerocket',
    note: 'EKS publishes AL2 AMIs up to Kubernetes 1.32 and stopped patching them on 2025-11-26.',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/eks-ami-deprecation-faqs.html',
  },
  {
    id: 'al2023',
    name: 'Amazon Linux 2023',
    osImage: /^Amazon Linux 2023\b/,
    endOfLife: '2029-06-30',
    replacement: 'the next Amazon Linux release',
    source: 'https://aws.amazon.com/linux/amazon-linux-2023/faqs/',
  },
  {
    id: 'bottlerocket',
    name: 'Bottlerocket',
    osImage: /^Bottlerocket OS\b/,
    replacement: 'the Bottlerocket variant of the new minor (aws-k8s-1.N)',
    note: 'Bottlerocket has no single end-of-life date: each aws-k8s-1.N variant is supported as long as that Kubernetes minor is, so VersionEndOfSupport covers it.',
    source: 'https://bottlerocket.dev/en/os/latest/concepts/variants/',
  },
  {
    id: 'ubuntu-18.04',
    name: 'Ubuntu 18.04 LTS',
    osImage: /^Ubuntu 18\.04(\.\d+)? LTS\b/,
    endOfLife: '2023-05-31',
    replacement: 'Ubuntu 24.04 LTS',
    note: 'Standard support; Ubuntu Pro (ESM) extends security fixes for a fee.',
    source: 'https://ubuntu.com/about/release-cycle',
  },
  {
    id: 'ubuntu-20.04',
    name: 'Ubuntu 20.04 LTS',
    osImage: /^Ubuntu 20\.04(\.\d+)? LTS\b/,
    endOfLife: '2025-05-29',
    replacement: 'Ubuntu 24.04 LTS',
    note: 'Standard support; Ubuntu Pro (ESM) extends security fixes for a fee.',
    source: 'https://ubuntu.com/about/release-cycle',
  },
  {
    id: 'ubuntu-22.04',
    name: 'Ubuntu 22.04 LTS',
    osImage: /^Ubuntu 22\.04(\.\d+)? LTS\b/,
    endOfLife: '2027-06-01',
    replacement: 'Ubuntu 24.04 LTS',
    note: 'Standard support ends June 2027; Ubuntu Pro (ESM) extends security fixes for a fee.',
    source: 'https://ubuntu.com/about/release-cycle',
  },
  {
    id: 'ubuntu-24.04',
    name: 'Ubuntu 24.04 LTS',
    osImage: /^Ubuntu 24\.04(\.\d+)? LTS\b/,
    endOfLife: '2029-06-01',
    replacement: 'the next Ubuntu LTS',
    source: 'https://ubuntu.com/about/release-cycle',
  },
  {
    id: 'rhel-8',
    name: 'Red Hat Enterprise Linux 8',
    osImage: /^Red Hat Enterprise Linux 8(\.\d+)?\b/,
    endOfLife: '2029-05-31',
    replacement: 'Red Hat Enterprise Linux 9',
    note: 'End of maintenance support; Extended Life Cycle Support is sold separately.',
    source: 'https://access.redhat.com/support/policy/updates/errata',
  },
  {
    id: 'rhel-9',
    name: 'Red Hat Enterprise Linux 9',
    osImage: /^Red Hat Enterprise Linux 9(\.\d+)?\b/,
    endOfLife: '2032-05-31',
    replacement: 'the next RHEL release',
    source: 'https://access.redhat.com/support/policy/updates/errata',
  },
];

/** The row an `osImage` belongs to, or undefined when the table does not know the OS. */
export function nodeOsRow(osImage: string): NodeOsRow | undefined {
  return NODE_OS.find((row) => row.osImage.test(osImage.trim()));
}

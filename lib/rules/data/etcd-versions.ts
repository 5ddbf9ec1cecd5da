/** The etcd minor each Kubernetes minor requires of a self-managed etcd, from kubeadm's SupportedEtcdVersion, as data with its source. */
import type { DataTable } from './table';

/** One Kubernetes minor's etcd. */
export interface EtcdRequirement {
  /** Kubernetes minor, `1.34`. */
  readonly minor: string;
  /** The etcd minor its control plane is built and tested with: members below it block the move. */
  readonly etcdMinor: string;
  /** kubeadm's SupportedEtcdVersion image for that minor (on its release branch, as of madeOn), when recorded. */
  readonly kubeadmDefault?: string;
}

/** Provenance of ETCD_REQUIREMENTS. */
export const ETCD_VERSIONS_TABLE: DataTable = {
  name: 'etcd per Kubernetes minor',
  madeOn: '2026-12-07',
  coversUntil: '2027-04-07',
  sources: [
    {
      title: 'kubeadm constants: SupportedEtcdVersion (cmd/kubeadm/app/constants/constants.go)',
      url: 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/constants/constants.go',
    },
    {
      title: 'etcd: supported versions and upgrade paths',
      url: 'https://etcd.io/docs/v3.6/upgrades/',
    },
  ],
  update:
    "read SupportedEtcdVersion on each release branch's cmd/kubeadm/app/constants/constants.go and add a row per new minor",
};

/**
 * Kubernetes 1.22–1.33 run etcd 3.5; 1.34 moved kubeadm to etcd 3.6. Patch levels are kubeadm's
 * defaults; only the etcd minor is a requirement (etcd upgrades one minor at a time: 3.4 → 3.5 → 3.6).
 */
export const ETCD_REQUIREMENTS: readonly EtcdRequirement[] = [
  { minor: '1.22', etcdMinor: '3.5' },
  { minor: '1.23', etcdMinor: '3.5' },
  { minor: '1.24', etcdMinor: '3.5' },
  { minor: '1.25', etcdMinor: '3.5' },
  { minor: '1.26', etcdMinor: '3.5' },
  { minor: '1.27', etcdMinor: '3.5' },
  { minor: '1.28', etcdMinor: '3.5' },
  { minor: '1.29', etcdMinor: '3.5' },
  { minor: '1.30', etcdMinor: '3.5' },
  { minor: '1.31', etcdMinor: '3.5', kubeadmDefault: '3.5.24-0' },
  { minor: '1.32', etcdMinor: '3.5', kubeadmDefault: '3.5.24-0' },
  { minor: '1.33', etcdMinor: '3.5', kubeadmDefault: '3.5.24-0' },
  { minor: '1.34', etcdMinor: '3.6', kubeadmDefault: '3.6.9-0' },
  { minor: '1.35', etcdMinor: '3.6', kubeadmDefault: '3.6.9-0' },
  { minor: '1.36', etcdMinor: '3.6', kubeadmDefault: '3.6.9-0' },
];

/** The EtcdVersionMismatch rule: every etcd member reports the same server version. */
import { defineRule, HOUR } from '../rule';
import { groupBy, listNames } from '../text';
import { compareVersions, patchLabel } from '../version';
import { sinceBoth } from './history';
import { inventory } from './inventory';
import { listOf, namesText, wasText } from '../last-finding';

/** Every etcd member reports the same server version. */
export const EtcdVersionMismatch = defineRule({
  id: 'EtcdVersionMismatch',
  title: 'etcd members on different versions',
  description:
    'Every etcd member reports the same server version once an etcd upgrade has finished.',
  category: 'skew',
  severity: 'warning',
  forSeconds: HOUR,
  dates: 'versions',
  needs: ['etcd'],
  resolved: (last) =>
    `All etcd members run the same version again${wasText([namesText(listOf(last, 'versions'))])}`,
  evaluate(snapshot) {
    const members = [...inventory(snapshot).etcd].sort((a, b) =>
      compareVersions(a.version, b.version),
    );
    const byVersion = groupBy(members, (m) => patchLabel(m.version));
    if (byVersion.size <= 1) return [];
    const membersByVersion = Object.fromEntries(
      [...byVersion].map(([v, items]) => [v, items.map((i) => i.instance).sort()]),
    );
    const versions = [...byVersion.keys()];
    const newest = versions[versions.length - 1] ?? '';
    const behind = members.filter((m) => patchLabel(m.version) !== newest).map((m) => m.instance);
    return [
      {
        subject: { kind: 'Etcd', name: 'etcd' },
        summary: `etcd members run ${versions.length} versions (${versions.join(', ')}). Upgrade ${listNames(behind, 3)} to ${newest} to finish the etcd upgrade.`,
        details: { versions, membersByVersion },
        ...sinceBoth(snapshot.versionHistory?.etcdVersions, versions[0] ?? '', newest),
      },
    ];
  },
});

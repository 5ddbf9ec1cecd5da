/** The ComponentVersionMismatch rule: every Kubernetes component runs the same version. */
import { defineRule, HOUR } from '../rule';
import { groupBy, plural } from '../text';
import type { ParsedVersion } from '../version';
import { compareVersions, minorLabel, patchLabel } from '../version';
import { sinceBoth } from './history';
import { inventory } from './inventory';
import { listOf, namesText, wasText } from '../last-finding';

/** Every Kubernetes component in the cluster runs the same minor and patch version. */
export const ComponentVersionMismatch = defineRule({
  id: 'ComponentVersionMismatch',
  title: 'Kubernetes components on different versions',
  description:
    'Every Kubernetes component (apiservers, controllers, kubelets, kube-proxies) runs one minor version; a mismatch that lasts a day means an upgrade stalled.',
  category: 'skew',
  severity: 'warning',
  otherSeverities: [{ severity: 'info', when: 'only patch versions differ' }],
  forSeconds: 24 * HOUR,
  dates: 'versions',
  needs: ['apiserver', 'nodes'],
  resolved: (last) => {
    const minors = listOf(last, 'minors');
    return `All components run the same version again${wasText([namesText(minors.length > 0 ? minors : listOf(last, 'patches'))])}`;
  },
  evaluate(snapshot) {
    const inv = inventory(snapshot);
    const entries: { component: string; version: ParsedVersion }[] = [
      ...inv.apiservers.map((a) => ({ component: a.component, version: a.version })),
      ...inv.controllers.map((c) => ({ component: c.component, version: c.version })),
      ...inv.kubelets.map((k) => ({ component: 'kubelet', version: k.version })),
      ...inv.kubeProxies.map((p) => ({ component: 'kube-proxy', version: p.version })),
    ];
    if (entries.length === 0) return [];
    const sorted = [...entries].sort((a, b) => compareVersions(a.version, b.version));
    const minors = [...new Set(sorted.map((e) => minorLabel(e.version)))];
    const patches = [...new Set(sorted.map((e) => patchLabel(e.version)))];
    if (patches.length <= 1) return [];
    // Per component: version → how many instances run it.
    const byComponent: Record<string, Record<string, number>> = {};
    const order = [
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'cloud-controller-manager',
      'kubelet',
      'kube-proxy',
    ];
    const groups = [...groupBy(sorted, (e) => e.component)].sort(
      ([a], [b]) => order.indexOf(a) - order.indexOf(b),
    );
    for (const [component, items] of groups) {
      const counts: Record<string, number> = {};
      for (const item of items) {
        const key = minors.length > 1 ? minorLabel(item.version) : patchLabel(item.version);
        counts[key] = (counts[key] ?? 0) + 1;
      }
      byComponent[component] = counts;
    }
    const described = Object.entries(byComponent)
      .map(([component, counts]) => {
        const parts = Object.entries(counts).map(([v, n]) =>
          component === 'kubelet' || component === 'kube-proxy' ? `${v} (${plural(n, 'node')})` : v,
        );
        return `${component} ${parts.join(', ')}`;
      })
      .join('; ');
    const newestApiserver = inv.aMax !== undefined ? `1.${inv.aMax}` : minors[minors.length - 1];
    const subject = { kind: 'Cluster', name: snapshot.cluster };
    if (minors.length > 1) {
      return [
        {
          subject,
          summary: `Components run ${minors.length} minor versions (${minors.join(', ')}): ${described}. Finish the upgrade so every component runs ${newestApiserver}.`,
          details: { minors, versions: byComponent },
          ...sinceBoth(
            snapshot.versionHistory?.componentMinors,
            minors[0] ?? '',
            minors[minors.length - 1] ?? '',
          ),
        },
      ];
    }
    return [
      {
        severity: 'info',
        subject,
        summary: `Components run ${minors[0] ?? ''} at ${patches.length} patch versions (${patches.join(', ')}): ${described}. Align them at the next maintenance.`,
        details: { patches, versions: byComponent },
      },
    ];
  },
});

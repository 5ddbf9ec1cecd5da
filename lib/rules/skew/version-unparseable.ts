/** The VersionUnparseable rule: every version string the cluster reports can be parsed. */
import { defineRule } from '../rule';
import { groupBy, listNames, plural } from '../text';
import { inventory } from './inventory';
import { countOf, countText, textOf, wasText } from '../last-finding';

/** Every version string the cluster reports can be parsed, so its skew is actually checked. */
export const VersionUnparseable = defineRule({
  id: 'VersionUnparseable',
  title: 'Version string skewguard cannot read',
  description:
    'Every component version the cluster reports can be parsed, so no component escapes the skew checks.',
  category: 'skew',
  severity: 'info',
  forSeconds: 0,
  needs: [],
  resolved: (last) => {
    const component = textOf(last, 'component') ?? 'A component';
    const raw = textOf(last, 'raw') ?? last.subject.name;
    return `No ${component} reports the unreadable version "${raw}" any more${wasText([countText(countOf(last, 'owners'), 'instance')])}`;
  },
  evaluate(snapshot) {
    const groups = groupBy(
      inventory(snapshot).unparseable,
      // Blank versions (" ", "") are one "(none)" subject, so one finding.
      (u) => `${u.component}\u0000${u.ref.raw.trim() === '' ? '' : u.ref.raw}`,
    );
    return [...groups.values()].flatMap((items) => {
      const first = items[0];
      if (!first) return [];
      const owners = items.map((i) => i.owner).sort();
      return [
        {
          subject: {
            kind: 'Version',
            name: `${first.component} ${first.ref.raw.trim() === '' ? '(none)' : first.ref.raw}`,
          },
          summary:
            first.ref.raw.trim() === ''
              ? noVersionSummary(first.component, owners)
              : `${first.component} on ${plural(owners.length, 'instance')} (${listNames(owners, 3)}) reports version "${first.ref.raw}", which cannot be parsed (${first.reason}); its skew is not checked. Check the image tag or version output.`,
          details: {
            component: first.component,
            raw: first.ref.raw,
            reason: first.reason,
            owners,
            source: first.ref.source,
          },
        },
      ];
    });
  },
});

/**
 * An empty version is not a malformed one: nothing was reported (a node without
 * status.nodeInfo, a pod without an image), so the fix is the input, not the image tag.
 */
function noVersionSummary(component: string, owners: readonly string[]): string {
  const one = owners.length === 1;
  if (component === 'kubelet' || component === 'kube-proxy') {
    const nodes = `${one ? 'node' : 'nodes'} ${listNames(owners, 3)}`;
    const fix =
      component === 'kubelet'
        ? 'the node has no status.nodeInfo: save nodes with `kubectl get nodes -o json`, not a manifest or a cut-down object'
        : 'its kube-proxy pod names no image: save pods with `kubectl get pods -n kube-system -o json`';
    return `${nodes} ${one ? 'reports' : 'report'} no ${component} version; its skew is not checked (${fix}).`;
  }
  return `${component} on ${plural(owners.length, 'instance')} (${listNames(owners, 3)}) ${one ? 'reports' : 'report'} no version (its pod names no image); its skew is not checked. Save kube-system pods with \`kubectl get pods -n kube-system -o json\`.`;
}

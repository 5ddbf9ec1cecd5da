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
      (u) => `${u.component}\u0000${u.ref.raw}`,
    );
    return [...groups.values()].flatMap((items) => {
      const first = items[0];
      if (!first) return [];
      const owners = items.map((i) => i.owner).sort();
      return [
        {
          subject: { kind: 'Version', name: `${first.component} ${first.ref.raw}` },
          summary: `${first.component} on ${plural(owners.length, 'instance')} (${listNames(owners, 3)}) reports version "${first.ref.raw}", which cannot be parsed (${first.reason}); its skew is not checked. Check the image tag or version output.`,
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

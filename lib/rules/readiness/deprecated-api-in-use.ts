/** DeprecatedApiInUse: no client still requests an API version that a coming minor removes. */
import { DEPRECATED_APIS_TABLE } from '../data/deprecated-apis';
import { staleSuffix, tableDetails } from '../data/table';
import type { RuleFinding } from '../rule';
import { defineRule, skip } from '../rule';
import { apiserverBoundsMissing, inventory } from '../skew/inventory';
import { plural } from '../text';
import type { ApiUse } from './deprecated-apis';
import { apiUses, callersText } from './deprecated-apis';
import { textOf, wasText } from '../last-finding';

/** No deprecated API gets requests; warning when the next minor removes it. */
export const DeprecatedApiInUse = defineRule({
  id: 'DeprecatedApiInUse',
  title: 'Deprecated API still requested',
  description:
    'No client requests an API version that a coming minor removes (only APIs with traffic count, never the gauge alone).',
  category: 'readiness',
  severity: 'warning',
  otherSeverities: [
    { severity: 'info', when: 'the API is removed later than the next minor, or when is unknown' },
  ],
  forSeconds: 0,
  needs: ['apiserver', 'deprecatedApis'],
  tables: [DEPRECATED_APIS_TABLE],
  resolved: (last) => {
    const removed = textOf(last, 'removedIn');
    return `Nothing requests ${textOf(last, 'api') ?? last.subject.name} any more${wasText([removed !== undefined ? `removed in ${removed}` : 'deprecated'])}`;
  },
  materialKeys: ['removedIn', 'currentMinor', 'blocksNextUpgrade'],
  evaluate(snapshot, ctx) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMax === undefined) return skip(missing ?? '');
    const requests = snapshot.deprecatedApis;
    if (!requests)
      return skip(
        'the deprecatedApis part is marked collected, but the snapshot lists no entries (a source that found none sets an empty list)',
      );
    const uses = apiUses(requests);
    if (uses.length > 0 && uses.every((u) => !u.trafficKnown)) {
      return skip(
        `${plural(uses.length, 'deprecated API')} flagged, but no source measured the traffic: apiserver_requested_deprecated_apis stays 1 once anything ever asked, so join it with rate(apiserver_request_total) or read EKS upgrade insights`,
      );
    }
    const current = inv.aMax;
    const stale = staleSuffix(DEPRECATED_APIS_TABLE, ctx.now);
    const table = tableDetails(DEPRECATED_APIS_TABLE, ctx.now);
    return uses.filter((u) => u.inUse).map((u) => finding(u, current, stale, table));
  },
});

function finding(
  use: ApiUse,
  current: number,
  stale: string,
  table: Record<string, unknown>,
): RuleFinding {
  const next = current + 1;
  const removed = use.removedIn;
  const traffic = use.traffic ? ` (${use.traffic})` : '';
  const who = callersText(use);
  const fix = `${use.fix.charAt(0).toUpperCase()}${use.fix.slice(1)}`;
  let when: string;
  if (removed === undefined) when = 'is deprecated; its removal release is not known';
  else if (removed <= current)
    when = `was removed in 1.${removed} and this control plane runs 1.${current}: those requests fail now`;
  else if (removed === next)
    when = `is removed in 1.${removed}, the next minor: those requests fail after the upgrade`;
  else when = `is removed in 1.${removed}, ${removed - current} minors from now`;
  return {
    severity: removed !== undefined && removed <= next ? 'warning' : 'info',
    subject: { kind: 'DeprecatedApi', name: use.key },
    summary: `${use.label} is still requested${traffic}, ${who}, and ${when}. ${fix}.${stale}`,
    details: {
      api: use.key,
      group: use.group,
      version: use.version,
      resource: use.resource,
      ...(use.kind ? { kind: use.kind } : {}),
      ...(removed !== undefined ? { removedIn: `1.${removed}` } : {}),
      currentMinor: `1.${current}`,
      blocksNextUpgrade: removed !== undefined && removed <= next,
      fix: use.fix,
      ...(use.traffic ? { traffic: use.traffic } : {}),
      callers: use.callers,
      sources: use.sources,
      table,
    },
  };
}

/** The MetricsMissing rule: every series the rules read is present and fresh in Prometheus. */
import type { MissingMetric, SnapshotPart } from '../model';
import type { Rule, RuleContext, RuleFinding } from '../rule';
import { defineRule } from '../rule';
import { ROLLOUT_RULES } from '../rollout';
import { SKEW_RULES } from '../skew';
import { listNames, plural } from '../text';
import { textOf, wasText } from '../last-finding';

/** The rules that read snapshot parts (the checker rules only read source status). */
const DATA_RULES: readonly Rule[] = [...SKEW_RULES, ...ROLLOUT_RULES];

/** Prometheus has every series the rules need, fresh; a missing one fires, naming what it skips. */
export const MetricsMissing = defineRule({
  id: 'MetricsMissing',
  title: 'Metrics the rules need are missing',
  description:
    'Prometheus has fresh samples of every series the rules read (kube-state-metrics, kubernetes_build_info, etcd); an absent or stale one skips the rules that need it.',
  category: 'checker',
  severity: 'warning',
  forSeconds: 0,
  needs: ['sources'],
  resolved: (last) => {
    const series = textOf(last, 'series') ?? last.subject.name;
    return textOf(last, 'problem') === 'stale'
      ? `${series} updates in Prometheus again${wasText(['stale'])}`
      : `${series} is back in Prometheus${wasText(['absent'])}`;
  },
  evaluate(snapshot, ctx) {
    return (snapshot.metricsMissing ?? []).map((missing) => findingOf(missing, ctx));
  },
});

function findingOf(missing: MissingMetric, ctx: RuleContext): RuleFinding {
  const skipped = rulesNeeding(missing.affects, ctx);
  const what =
    missing.problem === 'stale'
      ? `${missing.series} has stopped updating in Prometheus`
      : `${missing.series} is absent from Prometheus`;
  const impact =
    skipped.length > 0
      ? `so ${plural(skipped.length, 'rule')} ${skipped.length === 1 ? 'is' : 'are'} skipped (${listNames(skipped, 4)})`
      : `so ${listNames([...missing.affects], 4)} could not be read`;
  return {
    subject: { kind: 'Metric', name: missing.series },
    summary: `${what}, ${impact}. ${missing.hint}`,
    details: {
      series: missing.series,
      problem: missing.problem,
      affects: missing.affects,
      skippedRules: skipped,
      hint: missing.hint,
    },
  };
}

/** Enabled rules that need any of the parts, in catalogue order. */
function rulesNeeding(parts: readonly SnapshotPart[], ctx: RuleContext): string[] {
  return DATA_RULES.filter(
    (r) => !ctx.policy.rules[r.id]?.disabled && r.needs.some((p) => parts.includes(p)),
  ).map((r) => r.id);
}

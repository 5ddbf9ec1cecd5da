/** The SourceUnavailable rule: no configured source fails 3 runs in a row, and not all at once. */
import type { SourceStatus } from '../model';
import { defineRule } from '../rule';
import { plural } from '../text';
import { numberOf, textOf, wasText } from '../last-finding';

/** Failed runs in a row before a failing source alerts (docs/runbooks/SourceUnavailable.md: `for` = 3 runs). */
export const SOURCE_FAILURE_RUNS = 3;

const LABEL: Readonly<Record<SourceStatus['source'], string>> = {
  kubernetes: 'The Kubernetes API',
  prometheus: 'Prometheus',
  files: 'The input files',
  eks: 'The EKS API',
};

/**
 * Sources the cluster's objects and metrics come from. The EKS API only adds support and add-on
 * facts: it answering does not make a run in which every one of these failed any less blind.
 */
const observing = (s: SourceStatus): boolean => s.source !== 'eks';

/** Every configured source answers, so every rule is actually evaluated. */
export const SourceUnavailable = defineRule({
  id: 'SourceUnavailable',
  title: 'A configured source cannot be read',
  description:
    'Every configured source (Kubernetes API, Prometheus) answers; one failing for 3 runs in a row, or all failing at once, means the checks are blind.',
  category: 'checker',
  severity: 'critical',
  forSeconds: 0,
  forRuns: SOURCE_FAILURE_RUNS,
  needs: ['sources'],
  resolved: (last) => {
    const source = textOf(last, 'source') ?? last.subject.name;
    const runs = numberOf(last, 'consecutiveFailures');
    return `${LABEL[source as SourceStatus['source']] ?? source} answers again${wasText([
      runs !== undefined ? (runs > 1 ? `failed ${runs} runs in a row` : 'failed once') : undefined,
      textOf(last, 'errorKind'),
    ])}`;
  },
  materialKeys: ['errorKind', 'allSourcesFailed'],
  evaluate(snapshot) {
    const failed = snapshot.sources.filter((s) => s.status === 'failed');
    const watched = snapshot.sources.filter(observing);
    const allFailed = watched.length > 0 && watched.every((s) => s.status === 'failed');
    return failed
      .filter(
        (s) => s.unavailable ?? (allFailed || (s.consecutiveFailures ?? 1) >= SOURCE_FAILURE_RUNS),
      )
      .map((s) => {
        const runs = s.consecutiveFailures ?? 1;
        const when = runs > 1 ? `for ${plural(runs, 'run')} in a row` : 'in this run';
        const impact = allFailed
          ? 'no rule could be evaluated'
          : 'the rules that need it are skipped, not passed';
        return {
          subject: { kind: 'Source', name: s.source },
          summary: `${LABEL[s.source]} has failed ${when} (${s.kind ?? 'error'}: ${s.reason ?? 'no reason given'}); ${impact}.`,
          details: {
            source: s.source,
            errorKind: s.kind ?? 'unknown',
            reason: s.reason ?? '',
            consecutiveFailures: runs,
            allSourcesFailed: allFailed,
          },
        };
      });
  },
});

/** Test helpers: kubectl documents as the files collector reads them, evaluated at NOW. */
import { snapshotFromDocuments } from '../../lib/collect/files/collect';
import type { ClusterSnapshot, Evaluation, Finding } from '../../lib/rules';
import { DEFAULT_POLICY, evaluate } from '../../lib/rules';
import type { ClusterSpec } from './kube-objects';
import { clusterDocuments } from './kube-objects';

/** The fixed clock tests evaluate at. */
export const NOW = Date.parse('2026-11-21T12:00:00Z');

/** Snapshot of kubectl documents, as the files collector builds it. */
export function snapshotOf(documents: readonly unknown[], cluster = 'test'): ClusterSnapshot {
  return snapshotFromDocuments(documents, { cluster, collectedAt: new Date(NOW).toISOString() });
}

/** Evaluates a compact cluster spec with the default policy. */
export function evaluateSpec(spec: ClusterSpec): Evaluation {
  return evaluate(snapshotOf(clusterDocuments(spec)), DEFAULT_POLICY, NOW);
}

/** The findings of one rule. */
export function findingsOf(evaluation: Evaluation, ruleId: string): Finding[] {
  return evaluation.findings.filter((f) => f.ruleId === ruleId);
}

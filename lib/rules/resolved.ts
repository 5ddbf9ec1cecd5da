/**
 * What the notifiers ask the catalogue about a finding beyond its own fields: the wording of its
 * resolved notice, and the state whose change makes a still-firing finding "changed".
 */
import { fingerprintText } from './fingerprint';
import { pathOf } from './last-finding';
import type { Finding, Subject } from './model';
import { findRule } from './registry';
import type { LastFinding } from './rule';

/**
 * The resolved notice of a finding, from its last firing form: the rule's own wording, or, for a
 * rule id the catalogue does not know (an item stored by an older or newer skewguard), a plain
 * statement naming the rule and subject.
 */
export function resolvedSummary(ruleId: string, last: LastFinding): string {
  const rule = findRule(ruleId);
  if (rule?.resolved) return rule.resolved(last);
  return `${rule?.title ?? ruleId} no longer holds for ${subjectLabel(last.subject)}.`;
}

/**
 * A short hash of what makes a firing finding materially different: the rule's `materialKeys`
 * values when it declares them, else the summary text. Equal hashes mean "no change".
 */
export function materialState(finding: Pick<Finding, 'ruleId' | 'summary' | 'details'>): string {
  const keys = findRule(finding.ruleId)?.materialKeys;
  const state =
    keys === undefined
      ? finding.summary
      : JSON.stringify(keys.map((key) => pathOf(finding.details, key) ?? null));
  return fingerprintText(state);
}

function subjectLabel(subject: Subject): string {
  const ns =
    subject.namespace !== undefined && subject.namespace !== '' ? `${subject.namespace}/` : '';
  return `${subject.kind} ${ns}${subject.name}`;
}

/** The upgrade plan as a markdown playbook, for `skewguard plan -o markdown` and the checker's plan message. */
import type { PlanHop, PlanStep, UpgradePlan } from '../rules';

/** Whether any hop has something to clear first (exit 1). */
export function isBlocked(plan: UpgradePlan): boolean {
  return plan.finishFirst.length > 0 || plan.hops.some((h) => h.blockers.length > 0);
}

/** `Hop 1: 1.30 → 1.31`. */
export const hopTitle = (hop: PlanHop, i: number): string =>
  `Hop ${i + 1}: ${hop.from} → ${hop.to}`;

/** `lands on 1.31 (…)`, with extended support's extra cost when the hop lands in it. */
export function landingText(hop: PlanHop): string {
  const cost =
    hop.landing.monthlyExtraCostUsd !== undefined
      ? `; extended support costs about $${hop.landing.monthlyExtraCostUsd} a month more`
      : '';
  return `lands on ${hop.landing.support}${cost}`;
}

/** A node group (or kube-proxy) the hop leaves behind, and until when it may stay. */
export function deferredText(d: PlanHop['deferred'][number]): string {
  const groups = d.targets.map((t) => (t.startsWith('(') ? t.slice(1, -1) : `node group ${t}`));
  const what = d.component === 'kubelet' ? groups.join(', ') : 'kube-proxy';
  return `${what} (${d.minor}) may wait while the control plane is at ${d.until} or older`;
}

/** The plan as a markdown playbook a team pastes into a ticket: one checkbox per step. */
export function renderPlanMarkdown(plan: UpgradePlan): string {
  const out: string[] = [
    `# Upgrade ${plan.cluster} from ${plan.from} to ${plan.to}`,
    '',
    `Platform: ${plan.platform}. ${plan.hops.length} hop(s), one minor each${isBlocked(plan) ? '; the steps before each control-plane upgrade clear what blocks it' : ''}.`,
  ];
  const step = (s: PlanStep): void => {
    out.push(`- [ ] ${s.action}`);
    if (s.commands.length > 0)
      out.push('', '  ```sh', ...s.commands.map((c) => `  ${c}`), '  ```', '');
  };
  if (plan.finishFirst.length > 0) {
    out.push('', '## Before any hop', '');
    plan.finishFirst.forEach(step);
  }
  plan.hops.forEach((hop, i) => {
    out.push('', `## ${hopTitle(hop, i)}`, '', `This hop ${landingText(hop)}.`);
    if (hop.blockers.length > 0) {
      out.push('', '**Blocked by:**', '');
      for (const b of hop.blockers) out.push(`- ${b.what}: ${b.fix}`);
    }
    out.push('', '**Steps:**', '');
    hop.steps.forEach(step);
    if (hop.deferred.length > 0) {
      out.push('', '**May wait:**', '');
      for (const d of hop.deferred) out.push(`- ${deferredText(d)}`);
    }
    if (hop.notChecked.length > 0) {
      out.push('', '**Not checked:**', '');
      for (const n of hop.notChecked) out.push(`- ${n}`);
    }
  });
  for (const note of plan.notes) out.push('', `> ${note}`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

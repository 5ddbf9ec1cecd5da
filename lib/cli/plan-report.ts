/** `skewguard plan` output: an 80-column table or stable JSON (the markdown playbook is lib/notify's, shared with the checker). */
import type { PlanStep, UpgradePlan } from '../rules';
import { deferredText, hopTitle, isBlocked, landingText } from '../notify/plan-markdown';
import { wrap } from '../notify/text';

export { isBlocked, renderPlanMarkdown } from '../notify/plan-markdown';

/** The JSON contract (docs/architecture.md, "Plan JSON"): the plan plus whether it is blocked. */
export function renderPlanJson(plan: UpgradePlan): string {
  return `${JSON.stringify({ version: 1, blocked: isBlocked(plan), ...plan }, null, 2)}\n`;
}

/** Whether several hops miss the same inputs: then the table says so once, after the hops. */
function sameNotChecked(plan: UpgradePlan): boolean {
  const [first, ...rest] = plan.hops.map((h) => h.notChecked.join('\n'));
  return rest.length > 0 && first !== '' && rest.every((r) => r === first);
}

/**
 * One command as `$ …` lines within `width`: a long one continues with ` \` before its next
 * `--flag`, so it still pastes into a shell as one command.
 */
function commandLines(text: string, width: number): string[] {
  // A trailing `# where to run it` goes on its own line above, so the command keeps the width.
  const at = text.search(/\s+# /);
  const command = at > 0 ? text.slice(0, at) : text;
  const lines: string[] =
    at > 0 || text.startsWith('# ')
      ? wrap(
          `# ${text
            .slice(at > 0 ? at : 0)
            .trim()
            .replace(/^# /, '')}`,
          width,
          '       # ',
          '       ',
        )
      : [];
  if (text.startsWith('# ')) return lines;
  const first = '       $ ';
  const next = '           ';
  let line = first;
  for (const piece of command.split(/ (?=--)/)) {
    const candidate = line === first ? `${line}${piece}` : `${line} ${piece}`;
    if (line !== first && line !== next && candidate.length + 2 > width) {
      lines.push(`${line} \\`);
      line = `${next}${piece}`;
    } else line = candidate;
  }
  lines.push(line);
  return lines;
}

/** The plan as text for a terminal, wrapped at `width`. */
export function renderPlanTable(plan: UpgradePlan, width = 80): string {
  const out: string[] = [];
  const hops = plan.hops.length;
  out.push(
    ...wrap(
      `Upgrade plan for ${plan.cluster} (${plan.platform}): ${plan.from} → ${plan.to}, ${hops} ${hops === 1 ? 'hop' : 'hops'}${isBlocked(plan) ? ', blocked until the steps marked "first" are done' : ''}.`,
      width,
      '',
    ),
  );
  const step = (s: PlanStep, n: number, first: boolean): void => {
    out.push(...wrap(`${n}. ${first ? '[first] ' : ''}${s.action}`, width, '     ', '  '));
    for (const c of s.commands) out.push(...commandLines(c, width));
  };
  if (plan.finishFirst.length > 0) {
    out.push('', 'Before any hop:');
    plan.finishFirst.forEach((s, i) => step(s, i + 1, true));
  }
  const shared = sameNotChecked(plan);
  plan.hops.forEach((hop, i) => {
    out.push('', ...wrap(`${hopTitle(hop, i)}, ${landingText(hop)}`, width, '  ', ''));
    if (hop.blockers.length > 0) {
      out.push('  Blocked by:');
      for (const b of hop.blockers)
        out.push(...wrap(`- ${b.what}: ${b.fix}`, width, '      ', '    '));
    }
    out.push('  Steps:');
    const firstCount = hop.steps.findIndex((s) => s.component === 'kube-apiserver');
    hop.steps.forEach((s, n) => step(s, n + 1, n < firstCount));
    if (hop.deferred.length > 0) {
      out.push('  May wait:');
      for (const d of hop.deferred)
        out.push(...wrap(`- ${deferredText(d)}`, width, '      ', '    '));
    }
    if (hop.notChecked.length > 0 && !shared) {
      out.push('  Not checked:');
      for (const n of hop.notChecked) out.push(...wrap(`- ${n}`, width, '      ', '    '));
    }
  });
  if (shared) {
    out.push('', 'Not checked for any hop:');
    for (const n of plan.hops[0]?.notChecked ?? [])
      out.push(...wrap(`- ${n}`, width, '    ', '  '));
  }
  for (const note of plan.notes) out.push('', ...wrap(`Note: ${note}`, width, '  ', ''));
  return `${out.join('\n')}\n`;
}

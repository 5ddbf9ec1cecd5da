/** `skewguard plan`: the upgrade path from the flags' sources, as a table, a markdown playbook or JSON. */
import { parseTargetMinor, planUpgrade } from '../rules';
import type { CliIo, SourceOptions } from './check';
import { EXIT, runFromFlags, UsageError } from './check';
import { widthOf } from './terminal';
import { isBlocked, renderPlanJson, renderPlanMarkdown, renderPlanTable } from './plan-report';

/** Options of `skewguard plan`. */
export interface PlanCliOptions extends SourceOptions {
  /** The target minor as typed (`1.34`, `v1.34`, `34`); default the next minor. */
  readonly to?: string;
  readonly output: string;
}

/** Exit codes of `plan`: 0 the path is clear, 1 a hop is blocked, 2 usage or input error. */
export const PLAN_EXIT = { clear: EXIT.ok, blocked: EXIT.findings, error: EXIT.error } as const;

/**
 * Reads the cluster exactly as `check` does (same sources, same warnings), then plans from the
 * snapshot: a refused target (below the cluster, beyond the data) is a usage error, exit 2.
 */
export async function plan(opts: PlanCliOptions, io: CliIo): Promise<number> {
  const to = opts.to === undefined ? undefined : parseTargetMinor(opts.to);
  if (opts.to !== undefined && to === undefined) {
    throw new UsageError(
      `--to ${JSON.stringify(opts.to)} is not a Kubernetes minor; pass one like --to 1.34 (v1.34 and 34 work too)`,
    );
  }
  const run = await runFromFlags(opts, io);
  if (run === undefined) return PLAN_EXIT.error;
  const result = planUpgrade(run.result.snapshot, {
    ...(to !== undefined ? { to } : {}),
    now: io.now(),
    ...(run.eksName !== undefined ? { platformName: run.eksName } : {}),
  });
  if (!result.ok) {
    io.stderr(`skewguard: no plan for ${run.clusterName}: ${result.reason}\n`);
    return PLAN_EXIT.error;
  }
  io.stdout(
    opts.output === 'json'
      ? renderPlanJson(result.plan)
      : opts.output === 'markdown'
        ? renderPlanMarkdown(result.plan)
        : renderPlanTable(result.plan, widthOf(io.terminal ?? {})),
  );
  return isBlocked(result.plan) ? PLAN_EXIT.blocked : PLAN_EXIT.clear;
}

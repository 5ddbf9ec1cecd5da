/** Drives Ledger + MemoryLedgerStore run after run, as runCheck does, collecting each run's batch. */
import { Ledger, MemoryLedgerStore } from '../../../lib/ledger';
import type { NotificationBatch } from '../../../lib/notify/publisher';
import { stillFiring } from '../../../lib/notify/publisher';
import type { CoverageEntry, Evaluation, Finding } from '../../../lib/rules';

/** The cluster and first run time of these runs; runs are 5 minutes apart. */
export const LEDGER_CLUSTER = 'prod-eu';
export const T0 = Date.parse('2024-05-01T12:00:00Z');
const RUN = 5 * 60_000;

/** An evaluation of `findings` in which `ruleIds` (and the findings' rules) were evaluated. */
export function evaluated(findings: readonly Finding[], ruleIds: readonly string[]): Evaluation {
  const ids = new Set([...ruleIds, ...findings.map((f) => f.ruleId)]);
  const coverage: CoverageEntry[] = [...ids].map((ruleId) => ({ ruleId, status: 'evaluated' }));
  return { findings, coverage };
}

/** The batch each run published (an empty one when nothing was owed). */
export async function runs(...evaluations: Evaluation[]): Promise<NotificationBatch[]> {
  const ledger = new Ledger(new MemoryLedgerStore());
  const batches: NotificationBatch[] = [];
  for (const [i, evaluation] of evaluations.entries()) {
    const now = T0 + i * RUN;
    const runAt = new Date(now).toISOString();
    let batch: NotificationBatch = {
      cluster: LEDGER_CLUSTER,
      runAt,
      transitions: [],
      stillFiring: [],
    };
    await ledger.deliver(LEDGER_CLUSTER, evaluation, now, async (transitions, context) => {
      const items = context?.items ?? [];
      batch = { ...batch, transitions, stillFiring: stillFiring(items, transitions), items };
    });
    batches.push(batch);
  }
  return batches;
}

/**
 * Ledger items stay under DynamoDB's 400 KB item limit (dynalite enforces it): a node-skew
 * finding naming 20,000 nodes is stored cut, yet notified with its full count, and resolves.
 */
import { DynamoDbLedgerStore, Ledger, LedgerError } from '../../lib/ledger';
import type { Transition } from '../../lib/ledger';
import { MAX_LEDGER_DETAILS_BYTES } from '../../lib/ledger/reconcile';
import { renderMachine } from '../../lib/notify/machine';
import type { Finding } from '../../lib/rules/model';
import type { Dynalite } from '../support/dynalite';
import { startDynalite } from '../support/dynalite';
import { evaluation, finding, HOUR, storedItem, T0 } from '../unit/ledger/helpers';

const RULE = 'KubeletVersionSkew';
const NODES = Array.from(
  { length: 20_000 },
  (_, i) => `ip-10-${Math.floor(i / 250)}-${i % 250}-17.eu-west-1.compute.internal`,
);

let dynalite: Dynalite;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.stop();
});

function skew(): Finding {
  return finding('v1.26', {
    ruleId: RULE,
    severity: 'critical',
    summary: '20000 nodes run kubelet 1.26, four minors behind the API server 1.30',
    details: { versions: ['1.26.3'], nodeCount: NODES.length, nodes: NODES },
  });
}

describe('ledger item size', () => {
  it('dynalite refuses an item carrying every node name (the limit is real here)', async () => {
    const store = new DynamoDbLedgerStore(dynalite.client, dynalite.tableName);
    const whole = storedItem('v1.26', { version: 1, details: { nodes: NODES } }, 'raw');
    await expect(store.put(whole, undefined)).rejects.toThrow(LedgerError);
  });

  it('stores a 20,000-node finding cut, notifies it in full, and resolves it', async () => {
    const store = new DynamoDbLedgerStore(dynalite.client, dynalite.tableName);
    const ledger = new Ledger(store);
    const published: Transition[][] = [];
    const publish = async (transitions: readonly Transition[]): Promise<void> => {
      published.push([...transitions]);
    };

    const fired = await ledger.deliver(
      'big',
      evaluation([skew()], { evaluated: [RULE] }),
      T0,
      publish,
    );
    expect(fired.failures).toEqual([]);
    expect(fired.delivered.map((t) => t.kind)).toEqual(['firing']);
    // This run's notice carries the finding as evaluated: every node.
    expect(published[0]?.[0]?.finding.details['nodes']).toHaveLength(NODES.length);

    const [stored] = await store.load('big');
    expect(stored).toMatchObject({ notifiedStatus: 'firing', notifyCount: 1 });
    const details = (stored as { details: Record<string, unknown> }).details;
    expect(Buffer.byteLength(JSON.stringify(details))).toBeLessThanOrEqual(
      MAX_LEDGER_DETAILS_BYTES,
    );
    expect(details['nodeCount']).toBe(NODES.length);
    expect(details['nodes']).toMatchObject({ truncated: true, count: NODES.length });

    const resolved = await ledger.deliver(
      'big',
      evaluation([], { evaluated: [RULE] }),
      T0 + HOUR,
      publish,
    );
    expect(resolved.failures).toEqual([]);
    expect(resolved.delivered.map((t) => t.kind)).toEqual(['resolved']);
    const notice = resolved.delivered[0];
    if (!notice) throw new Error('no resolved notice');
    const message = renderMachine(notice, 'big', new Date(T0 + HOUR).toISOString());
    expect(message.notification.details).toMatchObject({
      nodeCount: NODES.length,
      nodes: { truncated: true, count: NODES.length },
    });
  });
});

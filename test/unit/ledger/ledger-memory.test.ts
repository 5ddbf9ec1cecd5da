import { Ledger, LedgerError, MemoryLedgerStore } from '../../../lib/ledger';
import { describeLedgerContract } from './contract';
import { storedItem } from './helpers';

describeLedgerContract('memory', () => new MemoryLedgerStore());

describe('MemoryLedgerStore', () => {
  it('hands out copies, so changing a loaded item does not change the store', async () => {
    const store = new MemoryLedgerStore();
    const item = storedItem('web', { version: 1 });
    await store.put(item, undefined);
    const [loaded] = await store.load('prod');
    if (loaded?.type !== 'finding') throw new Error('expected the stored finding item');
    (loaded.details as Record<string, unknown>)['replicas'] = 99;
    expect(await store.load('prod')).toEqual([item]);
  });
});

describe('Ledger options', () => {
  it.each([
    [{ claimTtlSeconds: -5 }, 'claimTtlSeconds'],
    [{ sourceFailureThreshold: 0 }, 'sourceFailureThreshold'],
    [{ sourceFailureThreshold: 2.5 }, 'sourceFailureThreshold'],
    [{ resolvedTtlSeconds: Number.NaN }, 'resolvedTtlSeconds'],
  ])('rejects %j naming the option', (options, name) => {
    const make = () => new Ledger(new MemoryLedgerStore(), options);
    expect(make).toThrow(LedgerError);
    expect(make).toThrow(name);
  });
});

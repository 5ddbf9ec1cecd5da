import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLedgerStore, LedgerError } from '../../lib/ledger';
import type { Dynalite } from '../support/dynalite';
import { startDynalite } from '../support/dynalite';
import { describeLedgerContract } from '../unit/ledger/contract';
import { storedItem } from '../unit/ledger/helpers';

let dynalite: Dynalite;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.stop();
});

describeLedgerContract('DynamoDB (dynalite)', () => {
  return new DynamoDbLedgerStore(dynalite.client, dynalite.tableName);
});

describe('DynamoDbLedgerStore', () => {
  it('follows every Query page', async () => {
    const store = new DynamoDbLedgerStore(dynalite.client, dynalite.tableName, { pageSize: 2 });
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) await store.put(storedItem(name, { version: 1 }, 'paged'), undefined);
    const loaded = await store.load('paged');
    expect(loaded.map((i) => i.sk)).toEqual(names.map((n) => `fp-RolloutStuck-${n}`));
  });

  it('names the item, the problem and the fix when a stored item is not a ledger item', async () => {
    const documents = DynamoDBDocumentClient.from(dynalite.client);
    await documents.send(
      new PutCommand({
        TableName: dynalite.tableName,
        Item: { pk: 'foreign', sk: 'abc', type: 'finding', version: 'one' },
      }),
    );
    const store = new DynamoDbLedgerStore(dynalite.client, dynalite.tableName);
    const load = store.load('foreign');
    await expect(load).rejects.toThrow(LedgerError);
    await expect(load).rejects.toThrow(
      /foreign\/abc .*not a skewguard ledger item.*delete the item/,
    );
  });

  it('turns a missing table into a LedgerError that says how to fix it, with the cause', async () => {
    const store = new DynamoDbLedgerStore(dynalite.client, 'no-such-table');
    const error = await store.load('prod').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as LedgerError).operation).toBe('load');
    expect((error as LedgerError).message).toMatch(
      /no-such-table.*ResourceNotFoundException.*Deploy the stack/,
    );
    expect((error as LedgerError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(store.put(storedItem('web', { version: 1 }), undefined)).rejects.toThrow(
      LedgerError,
    );
  });

  it('works on a second table with the same key schema', async () => {
    await dynalite.createTable('skewguard-ledger-2');
    const store = new DynamoDbLedgerStore(dynalite.client, 'skewguard-ledger-2');
    await store.put(storedItem('web', { version: 1 }, 'other'), undefined);
    expect(await store.load('other')).toHaveLength(1);
  });
});

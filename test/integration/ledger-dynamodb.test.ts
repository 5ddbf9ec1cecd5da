import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbLedgerStore,
  LedgerError,
  LedgerReadCache,
  MAX_CACHED_BYTES,
} from '../../lib/ledger';
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

describe('LedgerReadCache on DynamoDB', () => {
  const NOW = Date.parse('2026-12-07T12:00:00Z');

  it('keeps a read until it expires, checking expiry in code, and replaces it after', async () => {
    const cache = new LedgerReadCache(
      new DynamoDbLedgerStore(dynalite.client, dynalite.tableName),
      'cached',
    );
    expect(await cache.get('eks-facts-v1', NOW)).toBeUndefined();
    await cache.put('eks-facts-v1', '{"a":1}', NOW, 3600);
    expect(await cache.get('eks-facts-v1', NOW + 3599_000)).toEqual({
      value: '{"a":1}',
      fetchedAt: '2026-12-07T12:00:00.000Z',
    });
    // dynalite never deletes by TTL (and DynamoDB deletes late): the item is still there, unused.
    expect(await cache.get('eks-facts-v1', NOW + 3600_000)).toBeUndefined();
    await cache.put('eks-facts-v1', '{"a":2}', NOW + 3600_000, 3600);
    expect((await cache.get('eks-facts-v1', NOW + 3601_000))?.value).toBe('{"a":2}');
  });

  it('does not cache what DynamoDB could not hold, and says so', async () => {
    const problems: string[] = [];
    const cache = new LedgerReadCache(
      new DynamoDbLedgerStore(dynalite.client, dynalite.tableName),
      'cached-big',
      (message) => problems.push(message),
    );
    await cache.put('eks-facts-v1', 'x'.repeat(MAX_CACHED_BYTES + 1), NOW, 3600);
    expect(await cache.get('eks-facts-v1', NOW)).toBeUndefined();
    expect(problems).toEqual([
      `cached read eks-facts-v1 of cached-big is ${MAX_CACHED_BYTES + 1} bytes, over ${MAX_CACHED_BYTES}; it is read again on every run`,
    ]);
  });

  it('reads a missing table as a miss and reports it, so the run goes on', async () => {
    const problems: string[] = [];
    const cache = new LedgerReadCache(
      new DynamoDbLedgerStore(dynalite.client, 'no-such-table'),
      'prod',
      (message) => problems.push(message),
    );
    expect(await cache.get('eks-facts-v1', NOW)).toBeUndefined();
    expect(problems[0]).toMatch(
      /^reading cached read eks-facts-v1 of prod failed \(.*no-such-table.*\); reading the source instead$/,
    );
  });
});

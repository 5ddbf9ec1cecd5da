/**
 * DynamoDB ledger store: one table, pk = cluster, sk = fingerprint or `source#<name>`.
 * Every write is a conditional Put or Delete on `version` (no transactions: each item stands
 * alone, and dynalite, which the tests use, has none).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodeStoredItem } from './decode';
import type { LedgerOperation, LedgerStore, StoredItem, WriteOutcome } from './types';
import { LedgerError, assertNextVersion } from './types';

/** Tunables of the DynamoDB store. */
export interface DynamoDbLedgerStoreOptions {
  /**
   * Items per Query page (DynamoDB's `Limit`); tests set it low to exercise pagination.
   * @default undefined (DynamoDB's 1 MB pages)
   */
  readonly pageSize?: number;
}

/** A cluster with more pages than this is not a skewguard partition; stop rather than spin. */
export const MAX_PAGES = 1000;

/** Ledger store over a DynamoDB table (string pk and sk keys, on-demand billing). */
export class DynamoDbLedgerStore implements LedgerStore {
  protected readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    protected readonly tableName: string,
    protected readonly options: DynamoDbLedgerStoreOptions = {},
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      // Optional fields are omitted rather than stored as NULL; rule details may hold undefined.
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  /** All items of a cluster by consistent Query, following every page. */
  async load(cluster: string, skPrefix?: string): Promise<readonly StoredItem[]> {
    return this.allPages(
      cluster,
      (startKey) =>
        this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: skPrefix
              ? '#pk = :pk AND begins_with(#sk, :prefix)'
              : '#pk = :pk',
            ExpressionAttributeNames: skPrefix ? { '#pk': 'pk', '#sk': 'sk' } : { '#pk': 'pk' },
            ExpressionAttributeValues: skPrefix
              ? { ':pk': cluster, ':prefix': skPrefix }
              : { ':pk': cluster },
            // Read-your-writes: a stale read would only cost a lost race, but costs no more here.
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
            Limit: this.options.pageSize,
          }),
        ),
      `cluster ${cluster} has more than ${MAX_PAGES} pages of items in table ${this.tableName}; ` +
        'this table is shared with something else, give skewguard its own table',
    );
  }

  /**
   * Every item of a paged read (Query or Scan), decoded, with at most MAX_PAGES requests; past
   * that the table holds more than skewguard's own items and `tooMany` says so.
   */
  protected async allPages(
    what: string,
    fetch: (startKey: Record<string, unknown> | undefined) => Promise<{
      Items?: Record<string, unknown>[];
      LastEvaluatedKey?: Record<string, unknown>;
    }>,
    tooMany: string,
  ): Promise<readonly StoredItem[]> {
    const items: StoredItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const key = startKey;
      const response = await this.call('load', what, () => fetch(key));
      for (const raw of response.Items ?? []) items.push(decodeStoredItem(raw, this.tableName));
      startKey = response.LastEvaluatedKey;
      if (!startKey) return items;
    }
    throw new LedgerError('load', tooMany);
  }

  /** Conditional Put: on the stored version, or on the item not existing yet. */
  async put(item: StoredItem, expectedVersion: number | undefined): Promise<WriteOutcome> {
    assertNextVersion(item, expectedVersion);
    const condition: Pick<
      PutCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    > =
      expectedVersion === undefined
        ? {
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': 'pk' },
          }
        : {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          };
    return this.conditional('put', `${item.pk}/${item.sk}`, () =>
      this.documents.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition })),
    );
  }

  /** Conditional Delete on the stored version. */
  async delete(cluster: string, sk: string, expectedVersion: number): Promise<WriteOutcome> {
    return this.conditional('delete', `${cluster}/${sk}`, () =>
      this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: cluster, sk },
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      ),
    );
  }

  private async conditional(
    operation: LedgerOperation,
    key: string,
    send: () => Promise<unknown>,
  ): Promise<WriteOutcome> {
    try {
      await send();
      return 'written';
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return 'lostRace';
      throw this.failure(operation, key, error);
    }
  }

  protected async call<T>(
    operation: LedgerOperation,
    key: string,
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.failure(operation, key, error);
    }
  }

  private failure(operation: LedgerOperation, key: string, error: unknown): LedgerError {
    const name = errorName(error) ?? 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return new LedgerError(
      operation,
      `ledger ${operation} of ${key} in table ${this.tableName} failed: ${name}: ${message}. ` +
        fixFor(name, this.tableName),
      { cause: error },
    );
  }
}

/** What to do about the DynamoDB errors an operator can fix. */
function fixFor(name: string, table: string): string {
  switch (name) {
    case 'ResourceNotFoundException':
      return `Deploy the stack that creates table ${table}, or set the ledger table name and region to an existing table.`;
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
      return `Grant the function dynamodb:Query, dynamodb:PutItem and dynamodb:DeleteItem on table ${table} (a person running \`skewguard silence\`: dynamodb:PutItem, dynamodb:Query and dynamodb:Scan; docs/deploy.md, "Silences").`;
    case 'CredentialsProviderError':
      return 'No AWS credentials were found: sign in (aws sso login, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and run again.';
    case 'ProvisionedThroughputExceededException':
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
      return 'The table is throttling; the next run retries. Use on-demand capacity if it persists.';
    case 'ValidationException':
      return 'The item was rejected (too large or malformed); report it with this message.';
    default:
      return 'The next run retries; if it persists, check the table and network access to DynamoDB.';
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

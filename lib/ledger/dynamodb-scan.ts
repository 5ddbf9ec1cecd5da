/**
 * The DynamoDB store plus a Scan by sort-key prefix, for the `skewguard silence` commands only:
 * kept apart from dynamodb.ts so the check function's role grants no dynamodb:Scan.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLedgerStore, MAX_PAGES } from './dynamodb';
import type { ScanningLedgerStore, StoredItem } from './types';

/** A DynamoDB ledger store that can also read one kind of item across every cluster. */
export class ScanningDynamoDbLedgerStore
  extends DynamoDbLedgerStore
  implements ScanningLedgerStore
{
  /**
   * Every cluster's items whose sort key starts with `skPrefix`, by filtered Scan: only the CLI
   * calls it (a person listing silences), so reading the small table once is fine.
   */
  async scan(skPrefix: string): Promise<readonly StoredItem[]> {
    return this.allPages(
      `*/${skPrefix}*`,
      (startKey) =>
        this.documents.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: 'begins_with(#sk, :prefix)',
            ExpressionAttributeNames: { '#sk': 'sk' },
            ExpressionAttributeValues: { ':prefix': skPrefix },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
            Limit: this.options.pageSize,
          }),
        ),
      `table ${this.tableName} has more than ${MAX_PAGES} pages of items; give skewguard its own table`,
    );
  }
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbLedgerStore, LedgerError } from '../../../lib/ledger';
import { storedItem } from './helpers';

const documents = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbLedgerStore(new DynamoDBClient({ region: 'us-east-1' }), 'ledger');

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

beforeEach(() => documents.reset());

describe('DynamoDbLedgerStore error mapping', () => {
  it.each([
    ['AccessDeniedException', /Grant the function dynamodb:Query, dynamodb:PutItem/],
    ['ThrottlingException', /throttling; the next run retries/],
    ['ValidationException', /too large or malformed/],
    ['InternalServerError', /next run retries/],
  ])('%s becomes a LedgerError that names the fix and keeps the cause', async (name, fix) => {
    const cause = awsError(name, 'denied or broken');
    documents.on(PutCommand).rejects(cause);
    const put = store.put(storedItem('web', { version: 1 }), undefined);
    await expect(put).rejects.toThrow(LedgerError);
    await expect(put).rejects.toThrow(fix);
    await expect(put).rejects.toMatchObject({ operation: 'put', cause });
  });

  it('maps ConditionalCheckFailedException to a lost race, not an error', async () => {
    documents.on(PutCommand).rejects(awsError('ConditionalCheckFailedException', 'failed'));
    expect(await store.put(storedItem('web', { version: 4 }), 3)).toBe('lostRace');
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'ledger',
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
  });

  it('stops a Query that never ends instead of looping forever', async () => {
    documents.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { pk: 'p', sk: 's' } });
    await expect(store.load('prod')).rejects.toThrow(/more than 1000 pages/);
    expect(documents.commandCalls(QueryCommand)).toHaveLength(1000);
  });
});

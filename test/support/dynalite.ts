/**
 * A real DynamoDB API for tests: dynalite (in-memory) on a loopback port, with the ledger
 * table created and a client pointed at it with fixed fake credentials.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The part of dynalite's factory the tests use (the package ships no types). */
type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number }) => Server;

// dynalite is CommonJS without type declarations; createRequire keeps the import typed here.
const dynalite = createRequire(__filename)('dynalite') as DynaliteFactory;

/** A running dynalite with a ready ledger table. */
export interface Dynalite {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  readonly tableName: string;
  /** Creates another table with the ledger's key schema. */
  createTable(name: string): Promise<void>;
  /** Closes the client and the server. */
  stop(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 (a free port) and creates the ledger table. */
export async function startDynalite(tableName = 'skewguard-ledger'): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAFAKEFORTESTS', secretAccessKey: 'fake-secret-for-tests' },
    maxAttempts: 1,
  });
  const createTable = async (name: string): Promise<void> => {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  };
  await createTable(tableName);
  return {
    client,
    endpoint,
    tableName,
    createTable,
    stop: async () => {
      client.destroy();
      // Keep-alive sockets would hold close() open until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

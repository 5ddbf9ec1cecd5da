/** The finding ledger: reconciliation, the Ledger protocol, source health and both stores. */
export * from './types';
export * from './reconcile';
export * from './ledger';
export * from './source-health';
export * from './silences';
export { MemoryLedgerStore } from './memory';
export { DynamoDbLedgerStore } from './dynamodb';
export { ScanningDynamoDbLedgerStore } from './dynamodb-scan';
export type { DynamoDbLedgerStoreOptions } from './dynamodb';
export { LedgerReadCache, MAX_CACHED_BYTES } from './read-cache';
export { heartbeatPartition, recordHeartbeat, HEARTBEAT_RETENTION_SECONDS } from './heartbeat';
export type { HeartbeatRun, HeartbeatResult } from './heartbeat';

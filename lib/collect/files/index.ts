/** The files source: kubectl output and saved snapshots read from disk or standard input, and --save-snapshot. */
export { collectFromFiles, defaultClusterName, snapshotFromDocuments } from './collect';
export type { SnapshotInfo } from './save';
export { saveSnapshot, savedDocuments } from './save';

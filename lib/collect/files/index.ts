/** The files source: kubectl output and saved snapshots read from disk or standard input, and --save-snapshot. */
export { DEFAULT_MAX_INPUT_MB } from './bounded-read';
export { collectFromFiles, defaultClusterName, snapshotFromDocuments } from './collect';
export type { SnapshotInfo } from './save';
export { saveSnapshot, savedDocuments } from './save';

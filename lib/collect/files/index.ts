/** The files source: kubectl output and saved snapshots read from disk or standard input, and --save-snapshot. */
export { DEFAULT_MAX_INPUT_MB } from './bounded-read';
export type { InputDocument } from './collect';
export { collectFromFiles, defaultClusterName, parseText, snapshotFromDocuments } from './collect';
export { decodeInput } from './decode';
export type { SnapshotInfo } from './save';
export { saveSnapshot, savedDocuments } from './save';

/** Rendered manifests for drift: their desired workloads, and what may not be bundled with the function. */
export type { ManifestReadOptions } from './read';
export { desiredOf, manifestFiles, readManifests } from './read';
export type { RefusedObject } from './refuse';
export { refusedObjects } from './refuse';

/** What may not be bundled with the function from a drift folder: Secrets and ConfigMap data. */
import { manifestObjects, readManifestDocuments } from './read';
import { str } from '../kube-objects';

/** Kinds whose data would leave the cluster's control if bundled into the Lambda's code. */
const REFUSED_KINDS: ReadonlySet<string> = new Set(['Secret', 'ConfigMap']);

/** One refused object: the file, kind and name. */
export interface RefusedObject {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
}

/** The Secrets and ConfigMaps in the manifests under `path` (empty when none). */
export function refusedObjects(path: string): RefusedObject[] {
  return manifestObjects(readManifestDocuments(path)).flatMap(({ object, file }) => {
    const kind = str(object, 'kind') ?? '';
    return REFUSED_KINDS.has(kind)
      ? [{ file, kind, name: str(object, 'metadata', 'name') ?? '<unnamed>' }]
      : [];
  });
}

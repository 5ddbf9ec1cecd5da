/**
 * Ownership: the controller reference a pod or ReplicaSet carries, taken from the owning
 * object itself so uid, kind and name always agree.
 */
import type { JsonObject } from './documents';

/** The object a controller ownerReference points to. */
export interface Owner {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

/**
 * The controller ownerReference to `owner`. Controllers set blockOwnerDeletion; a mirror pod's
 * reference to its Node, which the kubelet writes, does not.
 */
export function controllerRef(owner: Owner, blockOwnerDeletion = true): JsonObject {
  return {
    apiVersion: owner.apiVersion,
    ...(blockOwnerDeletion ? { blockOwnerDeletion: true } : {}),
    controller: true,
    kind: owner.kind,
    name: owner.name,
    uid: owner.uid,
  };
}

/** The owner an object is to the objects it controls. */
export function ownerOf(object: JsonObject): Owner {
  const meta = object['metadata'] as JsonObject;
  return {
    apiVersion: String(object['apiVersion']),
    kind: String(object['kind']),
    name: String(meta['name']),
    uid: String(meta['uid']),
  };
}

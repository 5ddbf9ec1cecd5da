/** Finding fingerprints: a stable FNV-1a hash of cluster, rule id and subject. */
import type { Subject } from './model';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/**
 * Stable 64-bit FNV-1a hash of cluster + ruleId + subject, as 16 hex digits.
 * Pure (no crypto module) so lib/rules stays free of Node built-ins; not a security hash.
 */
export function fingerprint(cluster: string, ruleId: string, subject: Subject): string {
  return fingerprintText(
    JSON.stringify([cluster, ruleId, subject.kind, subject.namespace ?? '', subject.name]),
  );
}

/** The same 64-bit FNV-1a hash of any text, as 16 hex digits. */
export function fingerprintText(key: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(key)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK;
  }
  return hash.toString(16).padStart(16, '0');
}

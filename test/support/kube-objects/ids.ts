/**
 * Deterministic identities and times: every uid, generated name, hash and resourceVersion is
 * derived from a seed, so regenerated objects are byte-identical and owners' uids match the
 * references to them without bookkeeping.
 */
import { createHash } from 'node:crypto';

/** SHA-256 of `seed` in hex: 64 characters to slice ids, digests and numbers from. */
export function sha256(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** A version-4 UUID, as the API server assigns to metadata.uid. */
export function uid(seed: string): string {
  const h = sha256(`uid:${seed}`);
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The alphabet of generateName suffixes and template hashes (no vowels, no 0, 1 or 3). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A generateName-style suffix such as `x7k2p`, or a template hash (length 10). */
export function nameSuffix(seed: string, length = 5): string {
  const h = sha256(`suffix:${seed}`);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET.charAt(parseInt(h.slice(i * 2, i * 2 + 2), 16) % SAFE_ALPHABET.length);
  }
  return out;
}

/** An ISO instant moved by some seconds, printed as the API prints times (no milliseconds). */
export function at(instant: string, seconds = 0): string {
  return new Date(Date.parse(instant) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A resourceVersion that grows with the time of the object's last write, as etcd revisions do. */
export function resourceVersion(lastWrite: string, seed: string): string {
  const seconds = (Date.parse(lastWrite) - Date.parse('2026-01-01T00:00:00Z')) / 1000;
  return String(
    28_000_000 + Math.floor(seconds / 3) + (parseInt(sha256(seed).slice(0, 4), 16) % 3),
  );
}

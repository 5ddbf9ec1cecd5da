/**
 * Version parsing for the strings clusters really report: `v1.30.3-eks-a18cd3a`,
 * `v1.29.0+k3s1`, `1.30`, image references such as `registry.k8s.io/kube-apiserver:v1.30.2`.
 * Never guesses: anything else is a parse failure with a reason.
 */

/** A parsed version; `patch` is absent for `1.30`-style strings. */
export interface ParsedVersion {
  readonly raw: string;
  readonly major: number;
  readonly minor: number;
  readonly patch?: number;
  /** Whatever followed the numbers (`-eks-a18cd3a`, `+k3s1`), without interpretation. */
  readonly suffix?: string;
}

/** Result of parsing: the version, or the reason it could not be read. */
export type VersionParse =
  | { readonly ok: true; readonly version: ParsedVersion }
  | { readonly ok: false; readonly raw: string; readonly reason: string };

// Numbers, optionally a patch, then nothing or a separator and a free-form build suffix.
const VERSION_RE = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?:([-+_.~][0-9A-Za-z.+_~-]*))?$/;
const MAX_LENGTH = 256;

/** Parses any dotted version (`v1.30.3`, `3.5.12-0`) or an image reference with such a tag. */
export function parseVersion(raw: string): VersionParse {
  if (typeof raw !== 'string') return { ok: false, raw: String(raw), reason: 'not a string' };
  const text = raw.trim();
  if (text === '') return { ok: false, raw, reason: 'empty version string' };
  if (text.length > MAX_LENGTH) return { ok: false, raw, reason: 'longer than 256 characters' };
  const candidate = looksLikeImage(text) ? imageTag(text) : text;
  if (candidate === undefined) return { ok: false, raw, reason: 'image reference has no tag' };
  const match = VERSION_RE.exec(candidate);
  if (!match)
    return { ok: false, raw, reason: `"${candidate}" is not a MAJOR.MINOR[.PATCH] version` };
  const [, major, minor, patch, suffix] = match;
  return {
    ok: true,
    version: {
      raw,
      major: Number(major),
      minor: Number(minor),
      ...(patch !== undefined ? { patch: Number(patch) } : {}),
      ...(suffix ? { suffix } : {}),
    },
  };
}

/** Parses a Kubernetes component version; only 1.x is a Kubernetes version. */
export function parseKubeVersion(raw: string): VersionParse {
  const parsed = parseVersion(raw);
  if (parsed.ok && parsed.version.major !== 1) {
    return {
      ok: false,
      raw,
      reason: `major version ${parsed.version.major} is not Kubernetes 1.x`,
    };
  }
  return parsed;
}

/** `1.30` for a parsed version. */
export function minorLabel(version: { readonly major: number; readonly minor: number }): string {
  return `${version.major}.${version.minor}`;
}

/** `1.30.3` (or `1.30` when there is no patch). */
export function patchLabel(version: ParsedVersion): string {
  return version.patch === undefined
    ? minorLabel(version)
    : `${minorLabel(version)}.${version.patch}`;
}

/** Orders versions by major, minor, then patch (absent patch first). */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  return a.major - b.major || a.minor - b.minor || (a.patch ?? -1) - (b.patch ?? -1);
}

function looksLikeImage(text: string): boolean {
  return text.includes('/') || text.includes(':') || text.includes('@');
}

/** The tag of `repo/name:tag@sha256:…`, or undefined when there is none. */
function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  // A colon before the last slash is a registry port (`host:5000/repo`), not a tag.
  if (lastColon <= lastSlash) return undefined;
  const tag = withoutDigest.slice(lastColon + 1);
  return tag === '' ? undefined : tag;
}

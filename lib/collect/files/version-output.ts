/** `kubectl version` output --from-file refuses: plain text (saved without -o json), and two that disagree. */
import { InputError } from '../errors';
import type { Raw } from '../kube-objects';
import { str } from '../kube-objects';
import { isDeepStrictEqual } from 'node:util';

/**
 * `Client Version: v1.30.2` (kubectl 1.28 and later) or `Client Version: version.Info{Major:"1", …}`
 * (older), and the same for `Server Version:` when the client line is missing; `Kustomize
 * Version:` may sit between them.
 */
const VERSION_LINE = /^(Client|Server) Version: (v\d|version\.Info\{)/;

/**
 * The problem to report when the text is plain `kubectl version` output, else undefined. The
 * modern form parses as YAML, but into keys no kubectl JSON has; the old form is not YAML at all.
 */
export function versionTextProblem(trimmed: string): string | undefined {
  if (!VERSION_LINE.test(trimmed)) return undefined;
  return 'this is `kubectl version` text; save it with `kubectl version -o json`';
}

// Two version outputs that disagree come from two clusters, or from one that changed between
// them; either way the skew rules would compare nodes with the wrong control plane.
export function assertSameVersion(
  first: { value: Raw; file: string },
  second: { value: Raw; file: string },
): void {
  const a = str(first.value, 'gitVersion');
  const b = str(second.value, 'gitVersion');
  if (a !== undefined && b !== undefined ? a === b : isDeepStrictEqual(first.value, second.value))
    return;
  const one = first.file === second.file;
  throw new InputError(
    one ? first.file : `${first.file} and ${second.file}`,
    `${one ? 'holds' : 'hold'} \`kubectl version\` outputs with different serverVersions (${a ?? 'unknown'} and ${b ?? 'unknown'}): they come from different clusters, or the cluster changed between them; pass one version output, saved together with the other files`,
  );
}

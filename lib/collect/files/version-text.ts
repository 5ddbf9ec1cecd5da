/** Plain `kubectl version` text, told apart from YAML so it is answered with the flag that saves it readably. */

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

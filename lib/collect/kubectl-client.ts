/** Reads the kubectl client's version out of `kubectl version` output, for the files source and the live CLI's probe. */
import type { VersionRef } from '../rules/model';

/**
 * The `clientVersion` object's version as a VersionRef: its gitVersion, else `major.minor` (builds
 * print `minor: "32+"`, whose `+` is dropped); undefined when it names neither.
 */
export function clientVersionRef(clientVersion: unknown, source: string): VersionRef | undefined {
  if (typeof clientVersion !== 'object' || clientVersion === null) return undefined;
  const fields = clientVersion as Record<string, unknown>;
  const git = fields['gitVersion'];
  if (typeof git === 'string' && git.trim() !== '') return { raw: git.trim(), source };
  const { major, minor } = fields;
  if (typeof major === 'string' && typeof minor === 'string' && major !== '' && minor !== '')
    return { raw: `${major}.${minor.replace(/\+$/, '')}`, source };
  return undefined;
}

/** The kubectl client named by `--from-file` inputs: the `clientVersion` of their `kubectl version` outputs. */
import type { VersionRef } from '../../rules/model';
import type { KubectlRead } from '../kubectl';
import { clientVersionRef } from '../kubectl';

/**
 * Collects the `clientVersion` of each version output. Two that differ are a note, not an error
 * (unlike two serverVersions): they are two people's kubectl against one cluster, and the first
 * read (files sort by name) is checked.
 */
export function kubectlReader(): {
  read: (clientVersion: unknown, file: string) => void;
  notes: string[];
  result: () => KubectlRead;
} {
  let first: { ref: VersionRef; file: string } | undefined;
  let withoutClient: string | undefined;
  const notes: string[] = [];
  return {
    read(clientVersion, file) {
      const ref = clientVersionRef(clientVersion, `kubectl version clientVersion (${file})`);
      if (!ref) {
        withoutClient ??= file;
        return;
      }
      if (!first) first = { ref, file };
      else if (first.ref.raw !== ref.raw)
        notes.push(
          `${first.file} and ${file} hold \`kubectl version\` outputs with different clientVersions (${first.ref.raw} and ${ref.raw}); KubectlVersionSkew checks the one in ${first.file}. Pass the output of the kubectl you use with this cluster.`,
        );
    },
    notes,
    result: () =>
      first
        ? { state: 'collected', version: first.ref }
        : {
            state: 'missing',
            reason:
              withoutClient !== undefined
                ? `the version output in ${withoutClient} has no clientVersion (a bare GET /version answer, or a snapshot saved with --save-snapshot); save \`kubectl version -o json\` with the other files to check your kubectl`
                : 'no `kubectl version -o json` output in the input; save it with the other files (`kubectl version -o json > version.json`) to check your kubectl',
          },
  };
}

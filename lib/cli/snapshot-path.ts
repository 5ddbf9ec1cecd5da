/** Checks the `--save-snapshot` path before the live read, and words a write that still failed. */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const PROBLEM: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/**
 * Why `file` cannot take `--save-snapshot`'s output, or undefined when it can. Checked before the
 * live read, so a typo in the path does not cost a whole cluster read and then lose it.
 */
export async function snapshotPathProblem(file: string): Promise<string | undefined> {
  const target = await stat(file).catch(() => undefined);
  if (target?.isDirectory()) {
    return `--save-snapshot ${file} is a folder; give a file path, e.g. ${join(file, 'snapshot.json')}`;
  }
  const folder = dirname(file);
  const parent = await stat(folder).catch(() => undefined);
  if (!parent) {
    return `--save-snapshot ${file}: the folder ${folder} does not exist; create it (mkdir -p ${folder}) or choose another path`;
  }
  if (!parent.isDirectory()) {
    return `--save-snapshot ${file}: ${folder} is a file, not a folder; choose another path`;
  }
  try {
    await access(target ? file : folder, constants.W_OK);
  } catch (error) {
    return `--save-snapshot ${file}: cannot write ${target ? 'the file' : `in ${folder}`} (${describe(error)}); choose a path you can write to`;
  }
  return undefined;
}

/** The message for a `--save-snapshot` write that still failed after the checks above. */
export function snapshotWriteFailure(file: string, error: unknown): string {
  return `--save-snapshot could not write ${file} (${describe(error)}); the report was printed all the same; to keep a snapshot, run again with a path you can write to`;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  return PROBLEM[code] ? `${code}: ${PROBLEM[code]}` : code;
}

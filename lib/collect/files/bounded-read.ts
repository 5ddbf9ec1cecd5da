/** Reads `--from-file` inputs within a byte budget, refusing anything but regular files and stdin. */
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from '../errors';

/** The default cap, in MB, on each input and on all inputs together (`--max-input-mb`). */
export const DEFAULT_MAX_INPUT_MB = 256;

const MB = 1024 * 1024;
const CHUNK = 1024 * 1024;
// Opening a FIFO without O_NONBLOCK waits for a writer, possibly forever; with it the open returns
// at once and fstat tells us what we opened. It changes nothing for regular files.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What is left of the total budget; one per run, shared by every input. */
export class InputBudget {
  private used = 0;
  constructor(readonly maxMb: number = DEFAULT_MAX_INPUT_MB) {}

  /** Bytes one input may still take: the per-input cap, or what the total leaves. */
  get perInput(): number {
    return Math.min(this.maxMb * MB, this.maxMb * MB - this.used);
  }

  /** Counts `bytes` read from `file`; InputError once the input or the total passes the cap. */
  take(file: string, bytes: number, sofar: number): void {
    if (sofar > this.maxMb * MB) throw this.tooLarge(file);
    if (this.used + bytes > this.maxMb * MB) {
      throw new InputError(
        file,
        `takes the inputs together past ${this.maxMb} MB; pass fewer inputs, or raise the cap with --max-input-mb`,
      );
    }
    this.used += bytes;
  }

  /** The error for one input above the cap. */
  tooLarge(file: string): InputError {
    return new InputError(
      file,
      `larger than ${this.maxMb} MB; is this really kubectl output? Raise the cap with --max-input-mb if it is`,
    );
  }
}

/** Why a path that is not a regular file or folder cannot be an input, or undefined when it can. */
export function refusedKind(info: Stats): string | undefined {
  if (info.isFile() || info.isDirectory()) return undefined;
  const kind = info.isFIFO()
    ? 'a named pipe (FIFO), which blocks until a writer comes and may never end; pipe it to `--from-file -` instead'
    : info.isSocket()
      ? 'a socket'
      : info.isCharacterDevice() || info.isBlockDevice()
        ? 'a device'
        : 'not a regular file';
  return `is ${kind}; --from-file reads regular files, folders and - (standard input), so save the kubectl output to a file first`;
}

/** The bytes of one regular file, at most the budget's per-input share; InputError otherwise. */
export async function readRegularFile(file: string, budget: InputBudget): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    throw new InputError(
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path and permissions`,
      { cause: error },
    );
  }
  try {
    const info = await handle.stat();
    const refused = refusedKind(info);
    if (refused !== undefined || info.isDirectory()) {
      throw new InputError(file, refused ?? 'is a folder inside a folder; pass it on its own');
    }
    // The size is checked before and during the read: a file can grow while we read it.
    if (info.size > budget.maxMb * MB) throw budget.tooLarge(file);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      budget.take(file, bytesRead, total);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

/** Standard input, read until its end or until it passes the budget's per-input share. */
export async function readStdinBounded(
  budget: InputBudget,
  stream: NodeJS.ReadableStream = process.stdin,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    try {
      budget.take('<stdin>', bytes.length, total);
    } catch (error) {
      // Stop reading: an endless writer (`cat /dev/zero |`) gets EPIPE and ends too.
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw error;
    }
    chunks.push(bytes);
  }
  // Bytes, not text: decodeInput tells UTF-8 from UTF-16 as it does for files.
  return Buffer.concat(chunks);
}

/**
 * Bytes of a `--from-file` input → text. kubectl writes UTF-8, but what reaches us has often
 * passed through a Windows shell: Windows PowerShell 5.1's `>` writes UTF-16 LE with a byte-order
 * mark, and `Out-File -Encoding utf8` writes UTF-8 with one.
 */
import { InputError } from '../errors';

const RESAVE_AS_UTF8 =
  're-save it as UTF-8, e.g. `kubectl … -o json | Out-File -Encoding utf8 file.json`';

/** The text of an input file: UTF-8 (a BOM dropped) or UTF-16 LE/BE with a BOM; InputError otherwise. */
export function decodeInput(file: string, input: string | Uint8Array): string {
  if (typeof input === 'string') return rejectNul(file, input);
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return rejectNul(file, bytes.subarray(3).toString('utf8'));
  }
  const little = bytes[0] === 0xff && bytes[1] === 0xfe;
  const big = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!little && !big) return rejectNul(file, bytes.toString('utf8'));
  const body = bytes.subarray(2);
  if (body.length % 2 !== 0) {
    throw new InputError(
      file,
      `is UTF-16 but has an odd number of bytes, so it was cut off or is not UTF-16; ${RESAVE_AS_UTF8}`,
    );
  }
  // Node decodes only little-endian UTF-16; a copy keeps the caller's bytes unswapped. A NUL in
  // the result means UTF-32 (its LE byte-order mark starts like UTF-16's).
  return rejectNul(file, (big ? Buffer.from(body).swap16() : body).toString('utf16le'));
}

/** Text without a leading byte-order mark (U+FEFF), as JSON.parse and kubectl's YAML need it. */
export function stripBom(text: string): string {
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

// JSON and YAML never hold a raw NUL; one in a file without a BOM means UTF-16 (or UTF-32) lost it.
function rejectNul(file: string, text: string): string {
  if (!text.includes('\0')) return text;
  throw new InputError(
    file,
    `holds NUL bytes, which JSON and YAML never do (UTF-16 without a byte-order mark, or UTF-32?); ${RESAVE_AS_UTF8}`,
  );
}

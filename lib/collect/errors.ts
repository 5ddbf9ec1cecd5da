/** The errors sources fail with: SourceError, sorted by kind, and InputError for input files. */
import type { ReadFailure, SourceErrorKind, SourceName } from '../rules/model';

/** A source (Kubernetes API, Prometheus, input files) failed; `kind` sorts it for coverage and alerts. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly source: SourceName,
    readonly kind: SourceErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A failed read of a source that otherwise answered, as a part status records it. */
export function readFailureOf(error: SourceError): ReadFailure {
  return { source: error.source, kind: error.kind, message: error.message };
}

/** An input file that cannot be used; the message names the file, the problem and the fix. */
export class InputError extends SourceError {
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super('files', 'input', `${file}: ${problem}`, options);
  }
}

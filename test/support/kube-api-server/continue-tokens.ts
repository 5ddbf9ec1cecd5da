/**
 * Continue tokens: base64url JSON, opaque to clients like the real server's, carrying where the
 * next page starts; and the 410 Expired a token gets once its resourceVersion is compacted.
 */
import { isRecord } from './resources';
import type { Status } from './status';
import { BadRequestError, failure } from './status';

/** Where a continued list resumes. */
export interface ContinueToken {
  /** Snapshot resourceVersion, or -1 for "the latest" (the token a 410 hands out). */
  readonly rv: number;
  /** Index of the next item in the filtered list. */
  readonly offset: number;
  /** 1-based page number this token fetches, so faults can target "page N". */
  readonly page: number;
}

/** The opaque text of a token. */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...token })).toString('base64url');
}

/** Reads a token; throws BadRequestError with the real server's message for a bad one. */
export function decodeContinue(raw: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('continue key is not valid: illegal base64 data or JSON');
  }
  if (
    !isRecord(parsed) ||
    parsed.v !== 'meta.k8s.io/v1' ||
    !Number.isInteger(parsed.rv) ||
    !Number.isInteger(parsed.offset) ||
    !Number.isInteger(parsed.page) ||
    (parsed.offset as number) < 0
  ) {
    throw new BadRequestError(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  return { rv: parsed.rv as number, offset: parsed.offset as number, page: parsed.page as number };
}

/** The real server's message when a continue token outlived etcd compaction. */
const EXPIRED_WITH_TOKEN =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';
const EXPIRED_NO_TOKEN =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/**
 * 410 Gone for a compacted token; like the real server, it hands out a token that continues
 * (inconsistently) at the latest resourceVersion, unless the old token cannot be read at all.
 */
export function expired(rawContinue: string | null): Status {
  let position: ContinueToken | undefined;
  try {
    position = rawContinue ? decodeContinue(rawContinue) : undefined;
  } catch {
    position = undefined;
  }
  if (!position) return failure(410, 'Expired', EXPIRED_NO_TOKEN);
  const retry = encodeContinue({ rv: -1, offset: position.offset, page: position.page });
  return failure(410, 'Expired', EXPIRED_WITH_TOKEN, undefined, { continue: retry });
}

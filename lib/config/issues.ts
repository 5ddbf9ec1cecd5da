/** Turns zod issues into path-naming messages that say the value and what is allowed. */
import type * as z from 'zod';
import type { RawIssue } from './checks';
import { showValue } from './errors';

type ZodIssue = z.core.$ZodIssue;

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
};

/** Readable issues for one zod issue (an unknown-keys issue becomes one per key). */
export function describeIssue(
  issue: ZodIssue,
  root: unknown,
  base: readonly PropertyKey[] = [],
): RawIssue[] {
  const path = [...base, ...issue.path];
  const value = valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: issue.message }));
    case 'invalid_type': {
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      if (value === undefined) return [{ path, message: `is required (${expected})` }];
      return [{ path, message: `${showValue(value)} is not ${expected}` }];
    }
    case 'invalid_value':
      return [
        {
          path,
          message: `${showValue(value)} is not allowed; allowed: ${issue.values.map((v) => String(v)).join(', ')}`,
        },
      ];
    case 'invalid_union':
      return describeUnion(issue, root, path, value);
    case 'too_small':
      if (issue.origin === 'array')
        return [{ path, message: `must list at least ${String(issue.minimum)}` }];
      return [
        { path, message: `${showValue(value)} is too small (minimum ${String(issue.minimum)})` },
      ];
    default:
      return [{ path, message: issue.message }];
  }
}

function describeUnion(
  issue: Extract<ZodIssue, { code: 'invalid_union' }>,
  root: unknown,
  path: readonly PropertyKey[],
  value: unknown,
): RawIssue[] {
  if ('discriminator' in issue && issue.discriminator !== undefined) {
    const options = (issue as { options?: unknown[] }).options ?? [];
    const what = value === undefined ? 'is required' : `${showValue(value)} is not allowed`;
    return [{ path, message: `${what}; allowed: ${options.map((o) => String(o)).join(', ')}` }];
  }
  // Report the branch that matches the value's kind (a string or a mapping); its issues are the real ones.
  const branches = issue.errors.filter(
    (branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
  );
  const chosen = branches[0];
  if (chosen) return chosen.flatMap((inner) => describeIssue(inner, root, path));
  const kinds = issue.errors
    .flatMap((branch) =>
      branch.filter((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
    )
    .map((inner) => ARTICLE[(inner as { expected: string }).expected] ?? 'another kind');
  return [{ path, message: `${showValue(value)} is not ${kinds.join(' or ')}` }];
}

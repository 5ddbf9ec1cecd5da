/** Exit codes and UsageError, apart from check.ts so `--version` and `rules` load no pipeline. */

/**
 * Exit codes (docs/architecture.md, "CLI JSON"): 0 clean, 1 findings at/above --fail-on, 2 usage
 * or input error, 3 rules not checked for a missing input or failed read (--fail-on-skipped).
 */
export const EXIT = { ok: 0, findings: 1, error: 2, notChecked: 3 } as const;

/** A usage problem the user fixes by changing the command line (exit 2). */
export class UsageError extends Error {}

/** One problem in a config file: where it is, and what is wrong with what value. */
export interface ConfigIssue {
  /** Dotted path such as `clusters[1].prometheus.auth.secretArn`; `(root)` for the document. */
  readonly path: string;
  /** What is wrong, with the bad value and what is allowed. */
  readonly message: string;
  /** 1-based line in the YAML source, when the config came from YAML text. */
  readonly line?: number;
}

/** A config that cannot be used; the message lists every issue, not just the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** Where the config came from (a file path, an environment variable). */
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(formatIssues(source, issues), options);
  }
}

function formatIssues(source: string, issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((issue) => {
    const where = issue.line === undefined ? issue.path : `${issue.path} (line ${issue.line})`;
    return `  - ${where}: ${issue.message}`;
  });
  return `skewguard config ${source} has ${count}:\n${lines.join('\n')}`;
}

/** Formats a path of keys and indexes as `clusters[1].prometheus.url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(part)))
      out += out === '' ? String(part) : `.${String(part)}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** A value as it should appear in a message: JSON, shortened. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

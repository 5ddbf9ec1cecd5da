/** Reading a config: from YAML text or a file (CDK app, CLI) or from the environment (Lambda). */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Document } from 'yaml';
import { LineCounter, parseDocument } from 'yaml';
import type { RawIssue } from './checks';
import { checkConfig } from './checks';
import type { ConfigIssue } from './errors';
import { ConfigError, formatPath } from './errors';
import { describeIssue } from './issues';
import { normalize } from './normalize';
import { configSchema } from './schema';
import type { SkewguardConfig } from './types';

/** The environment variable holding the config as JSON (small configs). */
export const CONFIG_ENV = 'SKEWGUARD_CONFIG';
/** The environment variable naming a JSON config file (configs too large for the environment). */
export const CONFIG_FILE_ENV = 'SKEWGUARD_CONFIG_FILE';
/** `true` when a chat webhook subscribes: the function's config leaves the notifications out. */
export const CHAT_SUBSCRIBED_ENV = 'SKEWGUARD_CHAT_SUBSCRIBED';

/** Where a config comes from: a file, or text with a name for messages. */
export type ConfigSource =
  { readonly path: string } | { readonly text: string; readonly name?: string };

/** Validates a parsed document (YAML or JSON object); throws ConfigError listing every issue. */
export function parseConfig(document: unknown, source = 'config'): SkewguardConfig {
  return validate(document, source, () => undefined);
}

/** Reads and validates a YAML (or JSON) config from a file or text. */
export function loadConfig(from: ConfigSource): SkewguardConfig {
  const source = 'path' in from ? from.path : (from.name ?? 'config');
  let text: string;
  if ('path' in from) {
    try {
      text = readFileSync(from.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? 'does not exist'
          : code === 'EISDIR'
            ? 'is a folder'
            : code === 'EACCES'
              ? 'cannot be read (permission denied)'
              : `cannot be read (${(error as Error).message})`;
      throw new ConfigError(
        source,
        [
          {
            path: '(root)',
            message: `the file ${reason}; pass an existing file (cdk: -c config=FILE, CLI: --config FILE)`,
          },
        ],
        { cause: error },
      );
    }
  } else {
    text = from.text;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => ({
        path: '(root)',
        message: `not valid YAML: ${e.message.split('\n')[0] ?? e.code}`,
        line: lines.linePos(e.pos[0]).line,
      })),
    );
  }
  const config = validate(doc.toJS(), source, (path) => lineOf(doc, lines, path));
  return 'path' in from ? withDriftFrom(config, dirname(resolve(from.path))) : config;
}

/** Drift folders resolved against the config file's folder, as the config says they are written. */
function withDriftFrom(config: SkewguardConfig, dir: string): SkewguardConfig {
  if (!config.clusters.some((c) => c.drift)) return config;
  return {
    ...config,
    clusters: config.clusters.map((c) =>
      c.drift ? { ...c, drift: { ...c.drift, manifests: resolve(dir, c.drift.manifests) } } : c,
    ),
  };
}

/**
 * Reads the config the CDK app gave the Lambda: JSON in SKEWGUARD_CONFIG, or a JSON file
 * named by SKEWGUARD_CONFIG_FILE (relative paths resolve against the function's code).
 */
export function loadConfigFromEnvironment(env: NodeJS.ProcessEnv = process.env): SkewguardConfig {
  const inline = env[CONFIG_ENV];
  if (inline !== undefined && inline !== '') {
    return parseConfig(parseJson(inline, CONFIG_ENV), CONFIG_ENV);
  }
  const file = env[CONFIG_FILE_ENV];
  if (file !== undefined && file !== '') {
    const path = isAbsolute(file) ? file : resolve(env['LAMBDA_TASK_ROOT'] ?? process.cwd(), file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `${CONFIG_FILE_ENV}=${file}`,
        [
          {
            path: '(root)',
            message: `cannot read ${path}: ${String(error)}; redeploy so the config is bundled again`,
          },
        ],
        { cause: error },
      );
    }
    return parseConfig(parseJson(text, path), path);
  }
  throw new ConfigError('environment', [
    {
      path: '(root)',
      message: `neither ${CONFIG_ENV} nor ${CONFIG_FILE_ENV} is set; the CDK app sets one of them — deploy with npx cdk deploy, or set ${CONFIG_ENV} to the config as JSON`,
    },
  ]);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(
      source,
      [{ path: '(root)', message: `not valid JSON: ${String(error)}` }],
      { cause: error },
    );
  }
}

function validate(
  document: unknown,
  source: string,
  lineOfPath: (path: readonly PropertyKey[]) => number | undefined,
): SkewguardConfig {
  if (document === undefined || document === null) {
    throw new ConfigError(source, [
      { path: '(root)', message: 'the config is empty; start from examples/skewguard.config.yaml' },
    ]);
  }
  const result = configSchema.safeParse(document);
  const raw: RawIssue[] = [
    ...(result.success
      ? []
      : result.error.issues.flatMap((issue) => describeIssue(issue, document))),
    ...checkConfig(document),
  ];
  if (raw.length > 0 || !result.success) {
    const issues = dedupe(raw.sort(byPath)).map((issue) => toConfigIssue(issue, lineOfPath));
    // Stable sort: YAML sources read top to bottom; objects keep path order.
    throw new ConfigError(
      source,
      issues.sort(
        (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
      ),
    );
  }
  return normalize(result.data);
}

function toConfigIssue(
  issue: RawIssue,
  lineOfPath: (path: readonly PropertyKey[]) => number | undefined,
): ConfigIssue {
  const line = lineOfPath(issue.path);
  return {
    path: formatPath(issue.path),
    message: issue.message,
    ...(line !== undefined ? { line } : {}),
  };
}

function dedupe(issues: readonly RawIssue[]): RawIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${formatPath(issue.path)}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Document order: compares paths key by key, indexes numerically. */
function byPath(a: RawIssue, b: RawIssue): number {
  const n = Math.min(a.path.length, b.path.length);
  for (let i = 0; i < n; i++) {
    const x = a.path[i];
    const y = b.path[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return 0; // different keys of one mapping: keep the order they were found in
  }
  return a.path.length - b.path.length;
}

/** The line of the deepest existing node on `path` (an unknown key's line is its own). */
function lineOf(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true) as
      { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Reading `--from-file` inputs: files, folders and standard input, bounded, decoded and parsed into documents. */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Document } from 'yaml';
import { parseAllDocuments } from 'yaml';
import { InputBudget, readRegularFile, readStdinBounded, refusedKind } from './bounded-read';
import { decodeInput, stripBom } from './decode';
import { InputError } from '../errors';
import { parseJsonInput } from './json-input';
import { MAX_YAML_ALIASES, tooDeep, tooManyAliases } from './structure-limits';
import { versionTextProblem } from './version-output';

/** One parsed input document and the file it came from. */
export interface InputDocument {
  readonly file: string;
  readonly document: unknown;
}

const INPUT_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/**
 * Reads `--from-file` inputs: files, folders (their *.json/*.yaml/*.yml, not recursive) or `-`
 * for standard input (once). Throws InputError naming the file and the problem.
 */
export async function readInputs(
  paths: readonly string[],
  stdin: (budget: InputBudget) => Promise<string | Uint8Array> = readStdinBounded,
  budget: InputBudget = new InputBudget(),
): Promise<InputDocument[]> {
  const stdinCount = paths.filter((p) => p === '-').length;
  if (stdinCount > 1) {
    throw new InputError(
      '--from-file -',
      `is given ${stdinCount} times, but standard input can be read only once; pass \`--from-file -\` once and save the other kubectl outputs to files`,
    );
  }
  const documents: InputDocument[] = [];
  for (const path of paths) {
    if (path === '-') {
      documents.push(...parseText('<stdin>', decodeInput('<stdin>', await stdin(budget))));
      continue;
    }
    for (const file of await expand(path)) {
      const bytes = await readRegularFile(file, budget);
      documents.push(...parseText(file, decodeInput(file, bytes)));
    }
  }
  return documents;
}

async function expand(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(path, `${problem}; check the --from-file path`, { cause: error });
  }
  const refused = refusedKind(info);
  if (refused !== undefined) throw new InputError(path, refused);
  if (!info.isDirectory()) return [path];
  const all = await readdir(path, { withFileTypes: true });
  const entries = all
    .map((e) => e.name)
    .filter((f) => INPUT_EXTENSIONS.has(extname(f).toLowerCase()))
    .sort();
  if (entries.length === 0) {
    const subfolders = all.filter((e) => e.isDirectory()).length;
    throw new InputError(
      path,
      subfolders > 0
        ? `folder has no .json, .yaml or .yml files, only ${subfolders} subfolder${subfolders === 1 ? '' : 's'}, and subfolders are not searched; pass each subfolder with its own --from-file`
        : 'folder has no .json, .yaml or .yml files; pass the folder that holds the saved kubectl output',
    );
  }
  return entries.map((f) => join(path, f));
}

/** Parses one file's text as JSON, or as one or more YAML documents; a leading BOM is dropped. */
export function parseText(file: string, input: string): InputDocument[] {
  const text = stripBom(input);
  const trimmed = text.trimStart();
  if (trimmed === '')
    throw new InputError(
      file,
      'is empty; expected `kubectl get … -o json|yaml` or `kubectl version -o json` output',
    );
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return [{ file, document: parseJsonInput(file, text) }];
  }
  const versionText = versionTextProblem(trimmed);
  if (versionText !== undefined) throw new InputError(file, versionText);
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file, error);
    throw error;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const out: InputDocument[] = [];
  for (const doc of list) {
    const [first] = doc.errors;
    // The YAML parser recurses per nesting level and reports the overflow as a parse error.
    if (first && /maximum call stack/i.test(first.message)) throw tooDeep(file, first);
    if (first)
      throw new InputError(file, `is not valid YAML (${first.message.split('\n')[0] ?? ''})`, {
        cause: first,
      });
    const value = documentValue(file, doc);
    if (value !== null && value !== undefined) out.push({ file, document: value });
  }
  if (out.length === 0) throw new InputError(file, 'has no YAML documents');
  return out;
}

/** A YAML document's value; InputError for an alias bomb or nesting the stack cannot hold. */
function documentValue(file: string, doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file, error);
    if (error instanceof ReferenceError && /alias count/i.test(error.message)) {
      throw tooManyAliases(file, error);
    }
    throw error;
  }
}

/**
 * One JSON input file → its value, with an error that tells the usual accidents apart: output cut
 * off, and two kubectl outputs appended to one file (`>>`), which JSON cannot hold.
 */
import { InputError } from '../errors';
import { checkJsonNesting } from './structure-limits';

/** The JSON value of a file's text; InputError naming the accident when it does not parse. */
export function parseJsonInput(file: string, text: string): unknown {
  checkJsonNesting(file, text);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const end = firstValueEnd(text);
    // Concatenated documents are rejected, not split: appended outputs often come from different
    // runs or clusters, and `-o yaml` with `---` is the format meant for several in one file.
    const next = end === undefined ? '' : text.slice(end).trimStart();
    if ((next.startsWith('{') || next.startsWith('[')) && parses(text.slice(0, end))) {
      throw new InputError(
        file,
        'holds more than one JSON document; write each kubectl output to its own file, or use -o yaml (documents separated by ---)',
        { cause: error },
      );
    }
    const hint =
      end === undefined
        ? 'was the kubectl output cut off?'
        : 'pass the output of `kubectl … -o json` unchanged';
    throw new InputError(file, `is not valid JSON (${(error as Error).message}); ${hint}`, {
      cause: error,
    });
  }
}

/** Index just past the first top-level object or array, or undefined when it never closes. */
function firstValueEnd(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Limits on the structure of an input document, so hostile nesting or aliases fail as input errors. */
import { InputError } from '../errors';

/** Deepest nesting accepted; kubectl output nests about 15 levels, managedFields a few more. */
export const MAX_NESTING = 256;

/** YAML aliases accepted per document; kubectl never writes any, hand-written files a few. */
export const MAX_YAML_ALIASES = 1000;

/** InputError when the JSON text nests objects and arrays deeper than MAX_NESTING. */
export function checkJsonNesting(file: string, text: string): void {
  // A scan, not a parse: it runs before JSON.parse and the recursive walks after it would overflow.
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_NESTING) throw tooDeep(file);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** The InputError for a document nested deeper than MAX_NESTING. */
export function tooDeep(file: string, cause?: unknown): InputError {
  return new InputError(
    file,
    `nested deeper than ${MAX_NESTING} levels, which kubectl output never is; pass the output of \`kubectl … -o json|yaml\` unchanged`,
    cause === undefined ? undefined : { cause },
  );
}

/** The InputError for a YAML document with more aliases than MAX_YAML_ALIASES (an alias bomb). */
export function tooManyAliases(file: string, cause: unknown): InputError {
  return new InputError(
    file,
    `too many YAML aliases (more than ${MAX_YAML_ALIASES} expansions), which kubectl never writes; pass the output of \`kubectl … -o yaml\` unchanged`,
    { cause },
  );
}

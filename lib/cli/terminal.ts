/** What the terminal in front of the CLI can show: whether to colour, and how wide to wrap. */
import type { Severity } from '../rules';

/** The facts the entry point knows about stdout; tests pass none and get plain 80-column text. */
export interface TerminalInfo {
  readonly isTTY?: boolean;
  /** The terminal's width in columns, when stdout is one. */
  readonly columns?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** How to write for this terminal: ANSI styles (identity without colour) and the wrap width. */
export interface TerminalStyle {
  readonly color: boolean;
  readonly width: number;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly underline: (text: string) => string;
  readonly code: (text: string) => string;
  /** `[CRITICAL]` in red, `[WARNING]` in yellow, `[INFO]` in cyan. */
  readonly severity: (severity: Severity, text: string) => string;
}

const DEFAULT_WIDTH = 80;
// Narrower than this, indented evidence no longer fits; wider, paragraphs get hard to read.
const MIN_WIDTH = 40;
const MAX_WIDTH = 120;

/**
 * Colour only where a person watches: never when stdout is not a terminal (pipes, CI logs,
 * tests), unless FORCE_COLOR asks for it; NO_COLOR (https://no-color.org) always wins.
 */
export function wantsColor(info: TerminalInfo): boolean {
  const env = info.env ?? {};
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return info.isTTY === true && env['TERM'] !== 'dumb';
}

/** COLUMNS when set, else the terminal's width, else 80; kept within 40 to 120. */
export function widthOf(info: TerminalInfo): number {
  const fromEnv = Number.parseInt(info.env?.['COLUMNS'] ?? '', 10);
  const columns =
    Number.isFinite(fromEnv) && fromEnv > 0
      ? fromEnv
      : info.isTTY === true && info.columns !== undefined && info.columns > 0
        ? info.columns
        : DEFAULT_WIDTH;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, columns));
}

const sgr =
  (open: string, close: string) =>
  (text: string): string =>
    `\x1b[${open}m${text}\x1b[${close}m`;

const SEVERITY_COLOR: Record<Severity, (text: string) => string> = {
  critical: (t) => sgr('1', '22')(sgr('31', '39')(t)),
  warning: sgr('33', '39'),
  info: sgr('36', '39'),
};

/** The style for `info`; without colour every style returns its text unchanged. */
export function terminalStyle(info: TerminalInfo = {}): TerminalStyle {
  const width = widthOf(info);
  if (!wantsColor(info)) {
    const plain = (text: string): string => text;
    return {
      color: false,
      width,
      bold: plain,
      dim: plain,
      underline: plain,
      code: plain,
      severity: (_s, t) => t,
    };
  }
  return {
    color: true,
    width,
    bold: sgr('1', '22'),
    dim: sgr('2', '22'),
    underline: sgr('4', '24'),
    code: sgr('36', '39'),
    severity: (s, t) => SEVERITY_COLOR[s](t),
  };
}

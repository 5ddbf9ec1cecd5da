/** When the CLI colours and how wide it wraps: TTY, NO_COLOR, FORCE_COLOR, COLUMNS. */
import { terminalStyle, wantsColor, widthOf } from '../../../lib/cli/terminal';

describe('wantsColor', () => {
  it.each([
    ['a TTY', { isTTY: true, env: {} }, true],
    ['a pipe', { isTTY: false, env: {} }, false],
    ['nothing known (tests)', {}, false],
    ['NO_COLOR on a TTY', { isTTY: true, env: { NO_COLOR: '1' } }, false],
    ['an empty NO_COLOR', { isTTY: true, env: { NO_COLOR: '' } }, true],
    ['FORCE_COLOR in a pipe', { isTTY: false, env: { FORCE_COLOR: '1' } }, true],
    ['FORCE_COLOR=0 on a TTY', { isTTY: true, env: { FORCE_COLOR: '0' } }, false],
    ['NO_COLOR beside FORCE_COLOR', { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }, false],
    ['TERM=dumb', { isTTY: true, env: { TERM: 'dumb' } }, false],
  ])('%s', (_name, info, expected) => {
    expect(wantsColor(info)).toBe(expected);
  });
});

describe('widthOf', () => {
  it.each([
    ['COLUMNS over the terminal', { isTTY: true, columns: 100, env: { COLUMNS: '90' } }, 90],
    ['the terminal', { isTTY: true, columns: 100, env: {} }, 100],
    ['a pipe', { isTTY: false, columns: 100 }, 80],
    ['too narrow', { env: { COLUMNS: '20' } }, 40],
    ['too wide', { isTTY: true, columns: 300 }, 120],
    ['garbage COLUMNS', { env: { COLUMNS: 'wide' } }, 80],
  ])('%s', (_name, info, expected) => {
    expect(widthOf(info)).toBe(expected);
  });
});

describe('terminalStyle', () => {
  it('styles only with colour', () => {
    expect(terminalStyle().severity('critical', '[CRITICAL]')).toBe('[CRITICAL]');
    const coloured = terminalStyle({ env: { FORCE_COLOR: '1' } });
    expect(coloured.severity('critical', '[CRITICAL]')).toBe(
      '\x1b[1m\x1b[31m[CRITICAL]\x1b[39m\x1b[22m',
    );
    expect(coloured.severity('warning', '[WARNING]')).toBe('\x1b[33m[WARNING]\x1b[39m');
    expect(coloured.bold('x')).toBe('\x1b[1mx\x1b[22m');
  });
});

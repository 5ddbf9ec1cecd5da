/**
 * CLI conventions: `-o` for `--output`, enum values in any case, nearest-id hints for unknown
 * rule ids, help without internal placeholders and with examples, usage errors that name the
 * subcommand's help.
 */
import { join } from 'node:path';
import { cli } from '../../support/cli';

const DEMO = join(__dirname, '../../../examples/demo-cluster');

describe('option spelling', () => {
  it('-o is --output, and enum values are matched in any case', async () => {
    const long = await cli('check', '--from-file', DEMO, '--output', 'json', '--fail-on', 'never');
    const short = await cli('check', '--from-file', DEMO, '-o', 'JSON', '--fail-on', 'NEVER');
    expect(short.code).toBe(0);
    expect(short.stdout).toBe(long.stdout);
    expect(() => {
      JSON.parse(short.stdout);
    }).not.toThrow();
  });

  it('--fail-on CRITICAL counts like critical', async () => {
    const lower = await cli('check', '--from-file', DEMO, '--fail-on', 'critical');
    const upper = await cli('check', '--from-file', DEMO, '--fail-on', 'CRITICAL');
    expect(upper.code).toBe(lower.code);
  });

  it('a value outside the choices names them and the subcommand help', async () => {
    const run = await cli('check', '-o', 'xml');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "error: option '-o, --output <format>' argument 'xml' is invalid. Allowed choices are table, json, markdown.\n" +
        '(run `skewguard check --help` for usage)\n',
    );
  });
});

describe('usage errors point to the subcommand help', () => {
  it.each([
    [
      ['check', '--bogus'],
      "error: unknown option '--bogus'\n(run `skewguard check --help` for usage)\n",
    ],
    [
      ['rules', '--bogus'],
      "error: unknown option '--bogus'\n(run `skewguard rules --help` for usage)\n",
    ],
    [
      ['explain'],
      "error: missing required argument 'ruleId'\n(run `skewguard explain --help` for usage)\n",
    ],
    [['nope'], "error: unknown command 'nope'\n(run `skewguard --help` for usage)\n"],
  ])('%j', async (argv, message) => {
    const run = await cli(...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(message);
  });
});

describe('unknown rule ids', () => {
  it.each([
    [
      'KubeletSkew',
      'skewguard: unknown rule id KubeletSkew; did you mean KubeletVersionSkew? `skewguard rules` lists them all\n',
    ],
    [
      'DaemonSet',
      'skewguard: unknown rule id DaemonSet; did you mean DaemonSetGenerationMismatch, DaemonSetRolloutStuck or DaemonSetNotScheduled? `skewguard rules` lists them all\n',
    ],
    ['Foo', 'skewguard: unknown rule id Foo; `skewguard rules` lists them all\n'],
  ])('explain %s', async (id, message) => {
    const run = await cli('explain', id);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(message);
  });

  it('explain accepts an id in any case', async () => {
    const run = await cli('explain', 'podcrashlooping');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# PodCrashLooping\n/);
  });
});

describe('--help', () => {
  it('lists the commands without internal placeholders, then examples', async () => {
    const run = await cli('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('unexpected');
    expect(run.stdout).toMatch(/\n {2}check \[options\] +collect a snapshot/);
    expect(run.stdout).toMatch(/\n {2}notify-test \[options\] +publish one labelled test message/);
    expect(run.stdout).toMatch(
      /\nExamples:\n {2}skewguard check --from-file \.\/cluster-dump\/\n {2}skewguard check --context prod-eu\n {2}skewguard rules\n {2}skewguard explain KubeletVersionSkew\n$/,
    );
  });

  it('check --help shows -o, the usage without placeholders and examples', async () => {
    const run = await cli('check', '--help');
    expect(run.stdout).toMatch(/^Usage: skewguard check \[options\]\n/);
    expect(run.stdout).toContain('  -o, --output <format>');
    expect(run.stdout).toContain('\nExamples:\n  skewguard check --from-file ./cluster-dump/\n');
  });

  it.each([
    ['rules', '\nExamples:\n  skewguard rules\n  skewguard rules | grep DaemonSet\n'],
    [
      'explain',
      '\nExamples:\n  skewguard explain KubeletVersionSkew\n  skewguard explain podcrashlooping\n',
    ],
  ])('%s --help ends with examples', async (command, tail) => {
    const run = await cli(command, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith(tail)).toBe(true);
  });
});

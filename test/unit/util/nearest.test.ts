/** The nearest-name hints: which typos get which suggestions, and which get none. */
import { didYouMean, editDistance, nearest } from '../../../lib/util/nearest';
import { RULES } from '../../../lib/rules';

const IDS = RULES.map((r) => r.id);

describe('nearest', () => {
  it.each<[string, string[]]>([
    ['KubeletSkew', ['KubeletVersionSkew']],
    ['kubeletversionskew', ['KubeletVersionSkew']],
    ['KubeletVersionSkw', ['KubeletVersionSkew']],
    ['PodCrash', ['PodCrashLooping']],
    [
      'daemonset',
      ['DaemonSetGenerationMismatch', 'DaemonSetRolloutStuck', 'DaemonSetNotScheduled'],
    ],
    ['ApiserverSkew', ['ApiServerVersionSkew']],
    ['Foo', []],
    ['', []],
  ])('%s → %j', (input, expected) => {
    expect(nearest(input, IDS)).toEqual(expected);
  });

  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('didYouMean', () => {
  it.each<[string[], string]>([
    [[], ''],
    [['A'], ' did you mean A?'],
    [['A', 'B'], ' did you mean A or B?'],
    [['A', 'B', 'C'], ' did you mean A, B or C?'],
  ])('%j', (guesses, text) => {
    expect(didYouMean(guesses)).toBe(text);
  });
});

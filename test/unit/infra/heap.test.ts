import { checkFunctionNodeOptions, heapSizesMb } from '../../../lib/infra/check-function';

describe('the check function heap', () => {
  it.each([
    [128, { semiSpace: 16, oldSpace: 54 }],
    [512, { semiSpace: 32, oldSpace: 313 }],
    [1024, { semiSpace: 64, oldSpace: 627 }],
    [3008, { semiSpace: 64, oldSpace: 2214 }],
  ])('fits %i MB with room for code and buffers', (memory, sizes) => {
    expect(heapSizesMb(memory)).toEqual(sizes);
    // Old generation plus the young generation's three semi-spaces stay within 80%.
    expect(sizes.oldSpace + 3 * sizes.semiSpace).toBeLessThanOrEqual(memory * 0.8);
  });

  it('is passed to node with source maps on', () => {
    expect(checkFunctionNodeOptions(512)).toBe(
      '--enable-source-maps --max-old-space-size=313 --max-semi-space-size=32',
    );
  });
});

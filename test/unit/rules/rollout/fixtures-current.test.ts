import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_ROOT, renderFixtures, rolloutFixtures } from './support/make-fixtures';

describe('rollout fixtures', () => {
  const files = [...renderFixtures()];

  it.each(files.map(([path]) => [path]))(
    '%s matches its generator (run support/make-fixtures.ts after changing it)',
    (path) => {
      const target = join(FIXTURE_ROOT, path);
      expect(existsSync(target)).toBe(true);
      expect(readFileSync(target, 'utf8')).toBe(new Map(files).get(path));
    },
  );

  it('has a firing and a quiet case for every rollout rule', () => {
    const byRule = new Map<string, string[]>();
    for (const f of rolloutFixtures()) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f.name]);
    expect(byRule.size).toBe(11);
    for (const names of byRule.values()) {
      expect(names.some((n) => n.startsWith('fires.'))).toBe(true);
      expect(names.some((n) => n.startsWith('quiet.'))).toBe(true);
    }
  });
});

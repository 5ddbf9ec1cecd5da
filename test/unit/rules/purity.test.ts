import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const RULES_DIR = resolve(__dirname, '../../../lib/rules');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('lib/rules is pure', () => {
  const files = sourceFiles(RULES_DIR);

  it.each(files.map((f) => [relative(RULES_DIR, f), f]))(
    '%s imports only from lib/rules',
    (_name, file) => {
      const source = readFileSync(file, 'utf8');
      const specifiers = [
        ...source.matchAll(
          /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g,
        ),
      ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
      for (const spec of specifiers) {
        expect(spec.startsWith('.')).toBe(true);
        const target = resolve(dirname(file), spec);
        expect(relative(RULES_DIR, target).startsWith('..')).toBe(false);
      }
    },
  );

  it.each(files.map((f) => [relative(RULES_DIR, f), f]))(
    '%s reads no clock and no environment',
    (_name, file) => {
      const source = readFileSync(file, 'utf8');
      expect(source).not.toMatch(/Date\.now\(|new Date\(\)|process\.env|Math\.random\(/);
    },
  );
});

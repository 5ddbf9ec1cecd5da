import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfigPath } from '../../../lib/infra/app';

/** A fake repository root, with or without its own skewguard.config.yaml. */
function repo(withOwnConfig: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'skewguard-repo-'));
  mkdirSync(join(root, 'examples'));
  writeFileSync(join(root, 'examples', 'skewguard.config.yaml'), 'clusters: []\n');
  if (withOwnConfig) writeFileSync(join(root, 'skewguard.config.yaml'), 'clusters: []\n');
  return root;
}

describe('which config file the CDK app reads', () => {
  it('takes -c config=FILE, relative to the working directory', () => {
    const root = repo(true);
    expect(resolveConfigPath('configs/prod.yaml', root, '/work')).toEqual({
      path: '/work/configs/prod.yaml',
      isExample: false,
    });
  });

  it('else skewguard.config.yaml in the repository root', () => {
    const root = repo(true);
    expect(resolveConfigPath(undefined, root)).toEqual({
      path: join(root, 'skewguard.config.yaml'),
      isExample: false,
    });
  });

  it('else the example, flagged so the app prints a notice', () => {
    const root = repo(false);
    expect(resolveConfigPath(undefined, root)).toEqual({
      path: join(root, 'examples', 'skewguard.config.yaml'),
      isExample: true,
    });
  });
});

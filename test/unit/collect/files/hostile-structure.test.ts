/**
 * Hostile structure in `--from-file` input: deep nesting and YAML alias bombs end as input errors
 * naming the file (exit 2), not as "unexpected error" from a stack overflow or the YAML library.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotFromDocuments } from '../../../../lib/collect/files/collect';
import { cli } from '../../../support/cli';
import { list, node } from '../../../support/kube-objects';

const dir = mkdtempSync(join(tmpdir(), 'skewguard-structure-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// Billion laughs: ten levels of ten aliases each expand to 10^10 nodes.
function aliasBomb(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++) {
    lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('hostile structure in --from-file input', () => {
  it('refuses JSON nested 100,000 deep with the file and the limit', async () => {
    const path = file('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const started = Date.now();
    const run = await cli('check', '--from-file', path);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `skewguard: ${path}: nested deeper than 256 levels, which kubectl output never is; pass the output of \`kubectl … -o json|yaml\` unchanged\n`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses YAML nested 100,000 deep with the file and the limit', async () => {
    const path = file('deep.yaml', `items: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    const run = await cli('check', '--from-file', path);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `skewguard: ${path}: nested deeper than 256 levels, which kubectl output never is; pass the output of \`kubectl … -o json|yaml\` unchanged\n`,
    );
  });

  it('refuses a YAML alias bomb as too many aliases', async () => {
    const path = file('bomb.yaml', aliasBomb());
    const run = await cli('check', '--from-file', path);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `skewguard: ${path}: too many YAML aliases (more than 1000 expansions), which kubectl never writes; pass the output of \`kubectl … -o yaml\` unchanged\n`,
    );
  });

  it('notes objects without metadata.name instead of counting them as nodes', () => {
    const snapshot = snapshotFromDocuments(
      [
        {
          file: 'nodes.json',
          document: list([node('a', 'v1.30.1'), { kind: 'Node' }, { kind: 'Node', metadata: {} }]),
        },
      ],
      { cluster: 'c', collectedAt: '2026-11-21T12:00:00.000Z' },
    );
    expect(snapshot.nodes.map((n) => n.name)).toEqual(['a']);
    expect(snapshot.notes).toContain(
      'ignored 2 Node objects without metadata.name (not counted: an object needs a name; pass kubectl output unchanged)',
    );
  });
});

/** A cluster's `drift:` option: strict, its folder resolved against the config file, kept through the Lambda's copy. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig, toConfigDocument } from '../../../lib/config';

const CLUSTER = { name: 'a', prometheus: { url: 'https://p.example' } };

describe('drift config', () => {
  it('resolves drift.manifests against the config file, and keeps the namespace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-drift-config-'));
    const file = join(dir, 'skewguard.config.yaml');
    writeFileSync(
      file,
      'clusters:\n  - name: a\n    prometheus: {url: "https://p.example"}\n    drift: {manifests: rendered/a, namespace: shop}\n',
    );
    expect(loadConfig({ path: file }).clusters[0]?.drift).toEqual({
      manifests: join(dir, 'rendered', 'a'),
      namespace: 'shop',
    });
  });

  it('survives the round trip the function config takes', () => {
    const config = parseConfig(
      { clusters: [{ ...CLUSTER, drift: { manifests: 'drift/a' } }] },
      'test',
    );
    expect(parseConfig(toConfigDocument(config), 'again').clusters[0]?.drift).toEqual({
      manifests: 'drift/a',
    });
  });

  it('rejects unknown keys and a bad namespace, naming them', () => {
    const parse = (drift: unknown): unknown =>
      parseConfig({ clusters: [{ ...CLUSTER, drift }] }, 'test');
    expect(() => parse({ manifests: 'x', folder: 'y' })).toThrow(ConfigError);
    expect(() => parse({ manifests: 'x', folder: 'y' })).toThrow(/folder/);
    expect(() => parse({ manifests: 'x', namespace: 'Not_A_Namespace' })).toThrow(/namespace/);
    expect(() => parse({})).toThrow(/manifests/);
  });
});

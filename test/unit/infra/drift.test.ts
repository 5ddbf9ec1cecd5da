/** Synth bundles each cluster's drift manifests with the check function, and refuses Secrets and ConfigMaps in them. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_ENV, loadConfigFromEnvironment } from '../../../lib/config';
import { synth } from './support';

const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web, namespace: shop}',
  'spec:',
  '  replicas: 3',
  '  template:',
  '    spec:',
  '      containers: [{name: app, image: "shop/web:2.3.1"}]',
  '',
].join('\n');

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'skewguard-drift-synth-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function configWith(manifests: string): unknown {
  return {
    clusters: [{ name: 'a', prometheus: { url: 'https://p.example' }, drift: { manifests } }],
  };
}

describe('drift manifests at synth', () => {
  it('copies the folder into the bundle and points the function config at it', () => {
    const dir = folder({ 'apps/web.yaml': DEPLOYMENT, 'README.txt': 'not a manifest' });
    const s = synth(configWith(dir));
    const [fn] = Object.values(s.template.findResources('AWS::Lambda::Function'));
    const props = fn!.Properties as {
      Code: { S3Key: string };
      Environment: { Variables: Record<string, string> };
    };
    const asset = join(s.app.outdir, `asset.${props.Code.S3Key.replace(/\.zip$/, '')}`);
    expect(readFileSync(join(asset, 'drift', 'a', 'apps', 'web.yaml'), 'utf8')).toBe(DEPLOYMENT);
    expect(existsSync(join(asset, 'drift', 'a', 'README.txt'))).toBe(false);
    const config = loadConfigFromEnvironment({
      [CONFIG_ENV]: props.Environment.Variables[CONFIG_ENV],
    });
    expect(config.clusters[0]?.drift).toEqual({ manifests: 'drift/a' });
  });

  it('refuses a folder with a Secret, naming the file and the kind', () => {
    const dir = folder({
      'web.yaml': DEPLOYMENT,
      'secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {pw: hunter2}\n',
    });
    expect(() => synth(configWith(dir))).toThrow(
      new RegExp(
        `clusters\\[a\\]\\.drift\\.manifests .*${join(dir, 'secret.yaml')} holds a Secret \\(db\\); Secrets and ConfigMap data are never bundled`,
      ),
    );
  });

  it('refuses a ConfigMap inside a List too', () => {
    const dir = folder({
      'all.json': JSON.stringify({
        kind: 'List',
        items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} }],
      }),
      'web.yaml': DEPLOYMENT,
    });
    expect(() => synth(configWith(dir))).toThrow(/all\.json holds a ConfigMap \(settings\)/);
  });

  it('refuses a folder that does not exist, naming the setting', () => {
    expect(() => synth(configWith('/nonexistent/rendered'))).toThrow(
      /clusters\[a\]\.drift\.manifests \(\/nonexistent\/rendered\): \/nonexistent\/rendered: cannot be read \(ENOENT\)/,
    );
  });
});

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_ENTRY, DEFAULT_PAGERDUTY_ENTRY } from '../../../lib/infra';
import { createApp } from '../../../lib/infra/app';
import { secretArn, synth, TEST_ENTRY } from './support';

// The one test that bundles the real handler with esbuild (the others bundle a stand-in).
const handlerWritten = existsSync(DEFAULT_ENTRY);
const itWithHandler = handlerWritten ? it : it.skip;

describe('the real check function bundle', () => {
  itWithHandler(
    handlerWritten
      ? 'bundles functions/check/index.ts with the local esbuild and reports its size'
      : 'bundles functions/check/index.ts (skipped: the handler is not written yet)',
    () => {
      const example = join(__dirname, '../../../examples/skewguard.config.yaml');
      const { app, stack } = createApp({ app: new App({ context: { config: example } }) });
      const template = Template.fromStack(stack);
      const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
      expect(functions.length).toBeGreaterThan(0);
      for (const [id, fn] of functions) {
        const s3Key = (fn.Properties as { Code: { S3Key: string } }).Code.S3Key;
        const dir = join(app.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
        const files = readdirSync(dir);
        expect(files).toEqual(expect.arrayContaining(['index.js', 'index.js.map']));
        const bytes = statSync(join(dir, 'index.js')).size;
        const mapBytes = statSync(join(dir, 'index.js.map')).size;
        process.stdout.write(
          `check function bundle (${id}): index.js ${(bytes / 1024).toFixed(0)} KiB, index.js.map ${(mapBytes / 1024).toFixed(0)} KiB\n`,
        );
        // The budget of issue 8 (cold start and deploy size); a jump means a dependency crept in.
        expect(bytes).toBeLessThanOrEqual(1.5 * 1024 * 1024);
        // @kubernetes/client-node is the CLI's (kubeconfig files, exec plugins): 0.9 MB with its deps.
        const sources = (
          JSON.parse(readFileSync(join(dir, 'index.js.map'), 'utf8')) as { sources: string[] }
        ).sources;
        expect(sources.filter((s) => s.includes('@kubernetes/client-node'))).toEqual([]);
        // The CommonJS bundle loads and exports the handler (catches ESM-only code esbuild could not convert).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const bundle = require(join(dir, 'index.js')) as { handler?: unknown };
        expect(typeof bundle.handler).toBe('function');
      }
    },
    120_000,
  );
});

describe('the real PagerDuty forwarder bundle', () => {
  it('bundles functions/pagerduty/index.ts on its own, small, without axios or the check pipeline', () => {
    expect(existsSync(DEFAULT_PAGERDUTY_ENTRY)).toBe(true);
    const { app, template } = synth(
      {
        notifications: {
          pagerDuty: { routingKeySecretArn: secretArn('pagerduty'), severities: ['critical'] },
        },
        clusters: [{ name: 'a', prometheus: { url: 'https://p.example' } }],
      },
      { entry: TEST_ENTRY },
    );
    const forwarders = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: {
          Description: 'skewguard: forwards machine messages to the PagerDuty Events API v2',
        },
      }),
    );
    expect(forwarders).toHaveLength(1);
    const s3Key = (forwarders[0]!.Properties as { Code: { S3Key: string } }).Code.S3Key;
    const dir = join(app.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
    const bytes = statSync(join(dir, 'index.js')).size;
    process.stdout.write(`pagerduty forwarder bundle: index.js ${(bytes / 1024).toFixed(0)} KiB\n`);
    // 325 KiB when written, most of it the Secrets Manager client; a jump means the rules or a collector crept in.
    expect(bytes).toBeLessThanOrEqual(512 * 1024);
    const sources = (
      JSON.parse(readFileSync(join(dir, 'index.js.map'), 'utf8')) as { sources: string[] }
    ).sources;
    // It posts with node's fetch and never runs a check: no axios, collectors, ledger or rule registry.
    expect(
      sources.filter((s) =>
        /node_modules\/axios|lib\/(collect\/(?!aws\/timeouts)|ledger\/|rules\/registry|check\.ts)/.test(
          s,
        ),
      ),
    ).toEqual([]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(join(dir, 'index.js')) as { handler?: unknown };
    expect(typeof bundle.handler).toBe('function');
  }, 120_000);
});

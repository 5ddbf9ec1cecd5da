/** The CDK app entry: builds the skewguard stack from the config (`npx cdk synth`). */
import { relative } from 'node:path';
import { ConfigError } from '../lib/config';
import { createApp } from '../lib/infra/app';

// The CDK app entry (`npx cdk synth|deploy [-c config=FILE]`); environment-agnostic, so synth
// needs no AWS credentials.
try {
  const { app, config } = createApp();
  if (config.isExample) {
    process.stderr.write(
      `skewguard: no skewguard.config.yaml in the repository root; using ${relative(process.cwd(), config.path)}. ` +
        'Copy it to skewguard.config.yaml and edit it, or pass -c config=FILE.\n',
    );
  }
  app.synth();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

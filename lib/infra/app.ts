/** Builds the CDK app from a config file: what `bin/app.ts` runs, and what the tests build. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../config';
import type { SkewguardProps } from './skewguard';
import { SkewguardStack } from './skewguard-stack';

/** The repository root (where `skewguard.config.yaml` is looked for). */
export const REPO_ROOT = resolve(__dirname, '../..');

/** The CDK context key naming the config file: `npx cdk deploy -c config=FILE`. */
export const CONFIG_CONTEXT_KEY = 'config';

/** Which config file the app uses, and whether it fell back to the example. */
export interface ResolvedConfigPath {
  readonly path: string;
  readonly isExample: boolean;
}

/**
 * `-c config=FILE` when given (relative to the working directory), else skewguard.config.yaml
 * in the repository root, else the example config so a fresh clone synthesizes.
 */
export function resolveConfigPath(
  contextValue: unknown,
  repoRoot = REPO_ROOT,
  cwd = process.cwd(),
): ResolvedConfigPath {
  if (typeof contextValue === 'string' && contextValue !== '') {
    return { path: resolve(cwd, contextValue), isExample: false };
  }
  const own = join(repoRoot, 'skewguard.config.yaml');
  if (existsSync(own)) return { path: own, isExample: false };
  return { path: join(repoRoot, 'examples', 'skewguard.config.yaml'), isExample: true };
}

/** Options of {@link createApp}; the tests pass an outdir, context or a small handler entry. */
export interface CreateAppOptions {
  readonly app?: App;
  readonly repoRoot?: string;
  readonly stackProps?: Omit<SkewguardProps, 'config'>;
}

/** The app, its one stack and where its config came from. */
export interface SkewguardApp {
  readonly app: App;
  readonly stack: SkewguardStack;
  readonly config: ResolvedConfigPath;
}

/** Creates the app: loads and validates the config, adds the stack and the cdk-nag AwsSolutions checks. */
export function createApp(options: CreateAppOptions = {}): SkewguardApp {
  const app = options.app ?? new App();
  const config = resolveConfigPath(app.node.tryGetContext(CONFIG_CONTEXT_KEY), options.repoRoot);
  const stack = new SkewguardStack(app, 'Skewguard', {
    ...options.stackProps,
    config: loadConfig({ path: config.path }),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, config };
}

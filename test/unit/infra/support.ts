/** Builds skewguard stacks for assertion tests, bundling a two-line handler instead of the real one. */
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../../lib/config';
import type { SkewguardStackProps } from '../../../lib/infra';
import { SkewguardStack } from '../../../lib/infra';

/** The stand-in handler: bundles in milliseconds, so each synth stays well under a second. */
export const TEST_ENTRY = join(__dirname, 'fixtures/handler.ts');

/** A Secrets Manager ARN for test configs. */
export function secretArn(name: string): string {
  return `arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard/${name}-AbCdEf`;
}

/** An AMP query URL for test configs. */
export function ampUrl(workspaceId: string, region = 'eu-west-1'): string {
  return `https://aps-workspaces.${region}.amazonaws.com/workspaces/${workspaceId}/`;
}

/** A synthesized stack with its template and the templates of its nested cluster stacks. */
export interface Synthesized {
  readonly app: App;
  readonly stack: SkewguardStack;
  readonly template: Template;
  readonly clusterTemplates: readonly Template[];
}

/** Builds and synthesizes a stack from a config document (validated like a config file). */
export function synth(
  document: unknown,
  props: Partial<Omit<SkewguardStackProps, 'config'>> = {},
): Synthesized {
  const app = new App();
  const stack = new SkewguardStack(app, 'Test', {
    entry: TEST_ENTRY,
    ...props,
    config: parseConfig(document, 'test config'),
  });
  return {
    app,
    stack,
    template: Template.fromStack(stack),
    clusterTemplates: stack.skewguard.clusterStacks.map((s) => Template.fromStack(s)),
  };
}

/** All resources of a type across the parent and nested templates, with their logical ids. */
export function resourcesOfType(
  s: Synthesized,
  type: string,
): Record<string, { Properties: Record<string, unknown> }> {
  const all = {};
  for (const t of [s.template, ...s.clusterTemplates]) Object.assign(all, t.findResources(type));
  return all;
}

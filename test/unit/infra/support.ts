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

/** IAM's limits (characters without whitespace): all inline policies of a role together, one managed policy. */
export const IAM_INLINE_POLICY_CHARS_PER_ROLE = 10_240;
export const IAM_MANAGED_POLICY_CHARS = 6_144;

// What CloudFormation puts in at deploy: long but realistic values, so sizes err on the high side.
const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'ap-southeast-7',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Skewguard-Clusters-0123456789AB',
};

/** A deployed ARN or name for a reference: 128 characters, more than any of this stack's resources gets. */
function physicalValue(logicalId: string): string {
  return `arn:aws-us-gov:service:ap-southeast-7:123456789012:${logicalId}`.padEnd(128, 'x');
}

/** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub and Fn::Select to the strings CloudFormation would produce. */
export function resolveIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveIntrinsics);
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const [key] = Object.keys(obj);
  const arg = key === undefined ? undefined : obj[key];
  if (Object.keys(obj).length === 1) {
    if (key === 'Ref') return PSEUDO[arg as string] ?? physicalValue(arg as string);
    if (key === 'Fn::GetAtt') return physicalValue((arg as string[]).join('.'));
    if (key === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return (resolveIntrinsics(parts) as unknown[]).join(sep);
    }
    if (key === 'Fn::Sub') {
      const [template, vars = {}] = (typeof arg === 'string' ? [arg] : arg) as [
        string,
        Record<string, unknown>?,
      ];
      return template.replace(/\$\{([^}]+)\}/g, (_m, name: string) =>
        String(
          name in vars ? resolveIntrinsics(vars[name]) : (PSEUDO[name] ?? physicalValue(name)),
        ),
      );
    }
    if (key === 'Fn::Select') {
      const [index, list] = arg as [number, unknown];
      const resolved = resolveIntrinsics(list);
      return Array.isArray(resolved) ? resolved[index] : physicalValue(`select${index}`);
    }
    if (key === 'Fn::Split') return [physicalValue('split')];
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveIntrinsics(v)]));
}

/** Characters IAM counts for a policy document once deployed (JSON without whitespace). */
export function resolvedPolicyChars(document: unknown): number {
  return JSON.stringify(resolveIntrinsics(document)).length;
}

/** Per role of a template: the resolved size of all its inline policies and of each managed policy attached. */
export interface RolePolicySizes {
  readonly inline: number;
  readonly managed: readonly number[];
}

/** Resolved policy sizes of every role in the parent stack (where the check roles live). */
export function rolePolicySizes(t: Template): Record<string, RolePolicySizes> {
  const sizes: Record<string, { inline: number; managed: number[] }> = {};
  const roleIds = (roles: unknown): string[] =>
    ((roles ?? []) as { Ref?: string }[]).flatMap((r) => (r.Ref ? [r.Ref] : []));
  for (const [id, role] of Object.entries(t.findResources('AWS::IAM::Role'))) {
    const inline = ((role.Properties as { Policies?: { PolicyDocument: unknown }[] }).Policies ??
      []) as { PolicyDocument: unknown }[];
    sizes[id] = {
      inline: inline.reduce((n, p) => n + resolvedPolicyChars(p.PolicyDocument), 0),
      managed: [],
    };
  }
  for (const policy of Object.values(t.findResources('AWS::IAM::Policy'))) {
    const props = policy.Properties as { Roles?: unknown; PolicyDocument: unknown };
    for (const id of roleIds(props.Roles))
      if (sizes[id]) sizes[id].inline += resolvedPolicyChars(props.PolicyDocument);
  }
  for (const policy of Object.values(t.findResources('AWS::IAM::ManagedPolicy'))) {
    const props = policy.Properties as { Roles?: unknown; PolicyDocument: unknown };
    for (const id of roleIds(props.Roles))
      sizes[id]?.managed.push(resolvedPolicyChars(props.PolicyDocument));
  }
  return sizes;
}

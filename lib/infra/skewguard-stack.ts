import { Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of the skewguard stack; the schedule, topic, ledger and function arrive with the deploy issue. */
export type SkewguardStackProps = StackProps;

/** The stack a user deploys with `npx cdk deploy`. */
export class SkewguardStack extends Stack {
  constructor(scope: Construct, id: string, props: SkewguardStackProps = {}) {
    super(scope, id, {
      description: 'skewguard: Kubernetes version-skew and rollout checks',
      ...props,
    });
  }
}

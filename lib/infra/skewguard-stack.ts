/** The stack users deploy: the Skewguard construct and outputs (topic, table, dashboard, roles). */
import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { SkewguardProps } from './skewguard';
import { Skewguard } from './skewguard';

/** Props of the skewguard stack: the stack's own plus the deployment's. */
export interface SkewguardStackProps extends StackProps, SkewguardProps {}

/** The stack a user deploys with `npx cdk deploy`. */
export class SkewguardStack extends Stack {
  /** The deployment inside the stack. */
  readonly skewguard: Skewguard;

  constructor(scope: Construct, id: string, props: SkewguardStackProps) {
    super(scope, id, {
      description: 'skewguard: Kubernetes version-skew and rollout checks',
      ...props,
    });
    this.skewguard = new Skewguard(this, 'Skewguard', props);

    // What docs/deploy.md tells people to look up after a deploy.
    new CfnOutput(this, 'TopicArn', {
      description: 'SNS topic skewguard publishes findings and alarms to',
      value: this.skewguard.notifications.topic.topicArn,
    });
    new CfnOutput(this, 'LedgerTableName', {
      description: 'DynamoDB table with the finding ledger',
      value: this.skewguard.ledgerTable.tableName,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'CloudWatch dashboard of the checks',
      value: this.skewguard.dashboard.dashboard.dashboardName,
    });
    for (const fn of this.skewguard.checkFunctions) {
      new CfnOutput(this, `${fn.node.id}RoleArn`, {
        description: `IAM role of the check function for ${fn.clusterNames.join(', ').slice(0, 900)}: map it in clusters without grantAccess`,
        value: fn.role.roleArn,
      });
    }
  }
}

/** One check function: the Lambda that runs `runCheck` for the clusters of one network placement. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ClusterConfig, SkewguardConfig, VpcPlacement } from '../config';
import { CHAT_SUBSCRIBED_ENV, CONFIG_ENV, CONFIG_FILE_ENV, toConfigDocument } from '../config';
import {
  HEARTBEAT_GROUP_ENV,
  HEARTBEAT_MISSED_RUNS_ENV,
  staleAlarmWindow,
} from '../util/heartbeat';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../util/metrics';
import { BUNDLED_DRIFT_DIR, stageDrift, withBundledDrift } from './drift-bundle';
import {
  EKS_ACCOUNT_ACTIONS,
  EKS_CLUSTER_ACTIONS,
  eksAddonsArn,
  eksClusterArn,
  eksRegionsOf,
  resourcesOf,
  workspaceArn,
} from './permissions';

/** What lib/ledger/dynamodb.ts calls: conditional puts and deletes, queries by cluster. */
export const LEDGER_ACTIONS = [
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
] as const;

/** Where the bundled config lands inside the function's code (zip functions run from /var/task). */
export const BUNDLED_CONFIG_PATH = '/var/task/skewguard.config.json';

/**
 * esbuild options of the check function's bundle; bench/cold-start.ts builds the same bundle to
 * measure its size and load time (`npm run bench`).
 */
export const CHECK_FUNCTION_BUNDLING = {
  // No Docker here or in CI: esbuild from node_modules does the bundling.
  forceDockerBundling: false,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node22',
  format: OutputFormat.CJS,
  // Ship the SDK versions the tests ran against. The nodejs22.x runtime has SDK v3 too, and
  // leaving @aws-sdk/* out would save 0.57 MB, but then the bundle no longer loads on its own
  // (test/unit/infra/bundle.test.ts requires it where no node_modules are).
  bundleAwsSDK: true,
  externalModules: [] as string[],
  // ES module builds first where a package has no exports map: esbuild drops their unused
  // exports (0.3 MB less than the CommonJS builds).
  mainFields: ['module', 'main'],
} satisfies BundlingOptions;

/** NODE_OPTIONS of the check function without the heap cap (cold-start bench). */
export const CHECK_FUNCTION_NODE_OPTIONS = '--enable-source-maps';

/**
 * V8 heap sizes (MB) for a function of `memorySize` MB. A young generation of 3 x 32 MB (for
 * 512 MB) lets a parsed list page die young instead of being promoted and marked again (measured
 * at 5,000 nodes: 20% less CPU than V8's 16 MB default); the old generation gets the rest of 80%
 * of the memory, the remainder staying for code, sockets and buffers. Capped, V8 collects before
 * the process nears the Lambda limit instead of growing into it (see bench/README.md).
 */
export function heapSizesMb(memorySize: number): { semiSpace: number; oldSpace: number } {
  const semiSpace = Math.min(64, Math.max(16, Math.floor(memorySize / 16)));
  return { semiSpace, oldSpace: Math.floor(memorySize * 0.8) - 3 * semiSpace };
}

/** V8 flags of the check function's heap for `memorySize` MB. */
export function heapFlags(memorySize: number): string[] {
  const { semiSpace, oldSpace } = heapSizesMb(memorySize);
  return [`--max-old-space-size=${oldSpace}`, `--max-semi-space-size=${semiSpace}`];
}

/** NODE_OPTIONS of the check function: stack traces point into the TypeScript sources; heap sizes. */
export function checkFunctionNodeOptions(memorySize: number): string {
  return [CHECK_FUNCTION_NODE_OPTIONS, ...heapFlags(memorySize)].join(' ');
}

/** Props of {@link CheckFunction}; the parent construct validates the tunables. */
export interface CheckFunctionProps {
  readonly config: SkewguardConfig;
  /** The clusters this function checks (they share `vpc`). */
  readonly clusters: readonly ClusterConfig[];
  readonly vpc?: VpcPlacement;
  readonly entry: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly maxInlineConfigBytes: number;
  /** Seconds an asynchronous invocation may wait before Lambda drops it. */
  readonly maxEventAgeSeconds: number;
  /** Scheduled runs without an invocation before the heartbeat alarm fires. */
  readonly heartbeatMissedRuns: number;
  readonly table: dynamodb.ITable;
  readonly topic: sns.ITopic;
  readonly topicKey?: kms.IKey;
}

/**
 * The check function, its role (scoped to its clusters' resources), log group, error alarm and
 * invocation heartbeat.
 */
export class CheckFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  /** Whether the config travels in the bundle (too large for the environment) rather than in SKEWGUARD_CONFIG. */
  readonly configBundled: boolean;
  /** Fires when any invocation fails. */
  readonly errorsAlarm: cloudwatch.Alarm;
  /**
   * Fires when the function was not invoked for the heartbeat window of its fastest schedule:
   * its clusters' StaleClusters reports stop with it, and other functions sharing the alarm
   * window would keep that series alive. Lambda's own metric, so no custom series is billed.
   */
  readonly heartbeatAlarm: cloudwatch.Alarm;
  /** The construct id, also the function's heartbeat partition in the ledger. */
  readonly group: string;
  /** The log group the dashboard's Logs Insights widgets query. */
  readonly logGroup: logs.ILogGroup;
  /** The clusters this function checks. */
  readonly clusterNames: readonly string[];

  constructor(scope: Construct, id: string, props: CheckFunctionProps) {
    super(scope, id);
    const names = props.clusters.map((c) => c.name);
    this.clusterNames = names;
    this.group = id;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.logGroup = logGroup;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `skewguard check function for ${summarize(names)}`,
    });
    logGroup.grantWrite(this.role);

    // The Lambda only needs its own clusters and the shared defaults; notifications route in SNS.
    const configJson = JSON.stringify(
      toConfigDocument({
        ...props.config,
        notifications: { emails: [], https: [] },
        // Drift folders are read from the bundle, where synth copies them.
        clusters: withBundledDrift(props.clusters),
      }),
    );
    this.configBundled = Buffer.byteLength(configJson) > props.maxInlineConfigBytes;
    const configDir = this.configBundled ? writeConfigDir(configJson) : undefined;
    const configFile = configDir ? join(configDir, CONFIG_FILE_NAME) : undefined;
    const driftDir = props.clusters.some((c) => c.drift)
      ? mkdtempSync(join(tmpdir(), CONFIG_STAGING_PREFIX))
      : undefined;
    try {
      const driftStaged = driftDir !== undefined && stageDrift(props.clusters, driftDir);
      this.function = this.createFunction(props, names, logGroup, configJson, {
        ...(configFile ? { configFile } : {}),
        ...(driftStaged ? { driftDir: join(driftDir, BUNDLED_DRIFT_DIR) } : {}),
      });
    } finally {
      // Bundling ran inside the constructor and copied the files; nothing reads them afterwards.
      if (configDir) rmSync(configDir, { recursive: true, force: true });
      if (driftDir) rmSync(driftDir, { recursive: true, force: true });
    }

    if (props.vpc) {
      // L1 on purpose: the config names subnets and security groups, not a VPC to look up.
      const cfn = this.function.node.defaultChild as lambda.CfnFunction;
      cfn.vpcConfig = {
        subnetIds: [...props.vpc.subnetIds],
        securityGroupIds: [...props.vpc.securityGroupIds],
      };
      this.role.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'),
      );
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'Lambda needs ec2:CreateNetworkInterface and friends to attach to the configured subnets; the AWS-maintained policy tracks exactly that set and those actions cannot be scoped to resources',
      });
    }
    // One run per period; Lambda's default of two async retries would only pile up stale runs.
    this.function.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.seconds(props.maxEventAgeSeconds),
    });
    this.grantClusterAccess(props);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'UseLedger',
        actions: [...LEDGER_ACTIONS],
        resources: [props.table.tableArn],
      }),
    );
    // Not topic.grantPublish: it adds kms:GenerateDataKey*, where SNS needs only these two.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishNotifications',
        actions: ['sns:Publish'],
        resources: [props.topic.topicArn],
      }),
    );
    props.topicKey?.grant(this.role, 'kms:Decrypt', 'kms:GenerateDataKey');
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The runtime is pinned to nodejs22.x on purpose: esbuild targets node22 and the tests run against it; move both together',
    });

    this.errorsAlarm = this.function
      .metricErrors({ period: Duration.minutes(5), statistic: 'Sum' })
      .createAlarm(this, 'ErrorsAlarm', {
        alarmDescription: `skewguard: the check function for ${summarize(names)} failed. Its log group ${logGroup.logGroupName} has the error.`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.errorsAlarm.addAlarmAction(new actions.SnsAction(props.topic));

    const window = staleAlarmWindow(
      props.clusters.map((c) => c.schedule.periodSeconds),
      props.heartbeatMissedRuns,
    );
    this.heartbeatAlarm = this.function
      .metricInvocations({ period: Duration.seconds(window.periodSeconds), statistic: 'Sum' })
      .createAlarm(this, 'Heartbeat', {
        alarmDescription: `skewguard: the check function for ${summarize(names)} was not invoked for ${props.heartbeatMissedRuns} scheduled runs, so those clusters are not watched. See the schedules, the dead-letter queue and the function's throttles.`,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: window.evaluationPeriods,
        datapointsToAlarm: window.evaluationPeriods,
        // Lambda publishes nothing for a period without invocations: that is the failure.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    this.heartbeatAlarm.addAlarmAction(new actions.SnsAction(props.topic));
  }

  private createFunction(
    props: CheckFunctionProps,
    names: readonly string[],
    logGroup: logs.ILogGroup,
    configJson: string,
    staged: { readonly configFile?: string; readonly driftDir?: string },
  ): NodejsFunction {
    const { configFile, driftDir } = staged;
    return new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: `skewguard check: ${summarize(names)}`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      environment: {
        NODE_OPTIONS: checkFunctionNodeOptions(props.memorySize),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LEDGER_TABLE: props.table.tableName,
        [HEARTBEAT_GROUP_ENV]: this.group,
        [HEARTBEAT_MISSED_RUNS_ENV]: String(props.heartbeatMissedRuns),
        TOPIC_ARN: props.topic.topicArn,
        [CHAT_SUBSCRIBED_ENV]: String(
          props.config.notifications.https.some((endpoint) => endpoint.audience === 'chat'),
        ),
        ...(configFile ? { [CONFIG_FILE_ENV]: BUNDLED_CONFIG_PATH } : { [CONFIG_ENV]: configJson }),
      },
      bundling: {
        ...CHECK_FUNCTION_BUNDLING,
        ...(configFile || driftDir
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) => [
                  ...(configFile ? [copyCommand(configFile, outputDir)] : []),
                  ...(driftDir ? [copyTreeCommand(driftDir, outputDir)] : []),
                ],
              },
            }
          : {}),
      },
    });
  }

  private grantClusterAccess(props: CheckFunctionProps): void {
    const resources = resourcesOf(props.clusters);
    if (resources.secretArns.length > 0) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadClusterSecrets',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [...resources.secretArns],
        }),
      );
    }
    if (resources.ampWorkspaces.length > 0) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'QueryPrometheusWorkspaces',
          actions: ['aps:QueryMetrics'],
          resources: resources.ampWorkspaces.map((w) =>
            workspaceArn(w, Aws.PARTITION, Aws.ACCOUNT_ID),
          ),
        }),
      );
    }
    if (resources.eksClusters.length > 0) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'DescribeEksClusters',
          actions: [...EKS_CLUSTER_ACTIONS],
          resources: resources.eksClusters.map((c) =>
            eksClusterArn(c, Aws.PARTITION, Aws.ACCOUNT_ID),
          ),
        }),
      );
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'DescribeEksAddons',
          actions: ['eks:DescribeAddon'],
          resources: eksRegionsOf(resources.eksClusters).map((region) =>
            eksAddonsArn(region, Aws.PARTITION, Aws.ACCOUNT_ID),
          ),
        }),
      );
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadEksCalendars',
          actions: [...EKS_ACCOUNT_ACTIONS],
          resources: ['*'],
        }),
      );
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'eks:DescribeClusterVersions and eks:DescribeAddonVersions read EKS-wide calendars (support dates, add-on builds) and IAM accepts only "*" for them; every cluster-scoped EKS action is limited to the configured clusters',
      });
      for (const region of eksRegionsOf(resources.eksClusters)) {
        Validations.of(this.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:${region}:<AWS::AccountId>:addon/*]`,
          reason:
            "eks:DescribeAddon reads add-on metadata (installed version, status); add-on ARNs end in an id EKS assigns at install, and one ARN per region keeps a fleet's policy small",
        });
      }
    }
  }
}

/** `a, b, c and 4 more` for descriptions (which have length limits). */
function summarize(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** Prefix of the temporary directories the bundled config is staged in (removed after bundling). */
export const CONFIG_STAGING_PREFIX = `skewguard-config-${process.pid}-`;

const CONFIG_FILE_NAME = 'skewguard.config.json';

/** Writes the config JSON into a fresh directory the afterBundling hook can copy it from. */
function writeConfigDir(json: string): string {
  const dir = mkdtempSync(join(tmpdir(), CONFIG_STAGING_PREFIX));
  writeFileSync(join(dir, CONFIG_FILE_NAME), json);
  return dir;
}

/** Copies the staged `drift` folder into the bundle (its manifests, one folder per cluster). */
function copyTreeCommand(from: string, outputDir: string): string {
  const to = join(outputDir, BUNDLED_DRIFT_DIR);
  return process.platform === 'win32'
    ? `xcopy /E /I /Y "${from}" "${to}"`
    : `cp -R "${from}" "${to}"`;
}

function copyCommand(from: string, outputDir: string): string {
  const to = join(outputDir, CONFIG_FILE_NAME);
  return process.platform === 'win32' ? `copy /Y "${from}" "${to}"` : `cp "${from}" "${to}"`;
}

/** Shapes of the AWS identifiers a config names, and the AMP workspace behind a query URL. */

const PARTITION = 'aws(?:-[a-z]+)*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const ACCOUNT = '\\d{12}';

/** An AWS region name such as `eu-central-1`. */
export const REGION_PATTERN = new RegExp(`^${REGION}$`);

const SECRET_PREFIX = `^arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:[A-Za-z0-9/_+=.@-]+`;

/**
 * A complete Secrets Manager secret ARN, ending in the `-` and six random characters Secrets
 * Manager appends: IAM matches a grant's resource against that complete ARN, so a grant for the
 * ARN without the suffix never lets the role read the secret.
 */
export const SECRET_ARN_PATTERN = new RegExp(`${SECRET_PREFIX}-[A-Za-z0-9]{6}$`);

/** A secret ARN that may lack the random suffix (a partial ARN), to tell that mistake apart. */
export const PARTIAL_SECRET_ARN_PATTERN = new RegExp(`${SECRET_PREFIX}$`);

/** The region field of an ARN (`arn:partition:service:region:...`), or undefined when it has none. */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region && REGION_PATTERN.test(region) ? region : undefined;
}

/** A standard (not FIFO) SNS topic ARN. */
export const TOPIC_ARN_PATTERN = new RegExp(
  `^arn:${PARTITION}:sns:${REGION}:${ACCOUNT}:[A-Za-z0-9_-]{1,256}$`,
);

/** A KMS key ARN (not an alias: IAM grants match key ARNs only). */
export const KMS_KEY_ARN_PATTERN = new RegExp(
  `^arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/(?:[0-9a-f-]{36}|mrk-[0-9a-f]{32})$`,
);

/** An EKS cluster name. */
export const EKS_CLUSTER_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** A VPC subnet id. */
export const SUBNET_ID_PATTERN = /^subnet-[0-9a-f]{8,17}$/;

/** A VPC security group id. */
export const SECURITY_GROUP_ID_PATTERN = /^sg-[0-9a-f]{8,17}$/;

/** A Kubernetes namespace name (DNS label). */
export const NAMESPACE_PATTERN = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A skewguard cluster name: it becomes a DynamoDB key, a metric dimension and part of
 * CloudFormation logical ids, so it stays short and plain.
 */
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Prometheus label matchers as in `{...}`: `cluster="prod", env=~"eu-.*"`. */
export const SELECTOR_PATTERN =
  /^\s*[A-Za-z_]\w*\s*(?:=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*(?:,\s*[A-Za-z_]\w*\s*(?:=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*)*$/;

/** An Amazon Managed Service for Prometheus workspace. */
export interface AmpWorkspace {
  readonly region: string;
  readonly workspaceId: string;
}

const AMP_URL = new RegExp(
  `^https://aps-workspaces\\.(${REGION})\\.amazonaws\\.com(?:\\.cn)?/workspaces/(ws-[0-9a-zA-Z-]+)/?$`,
);

/**
 * The AMP workspace behind a query URL such as
 * `https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234abcd/`, or undefined.
 */
export function ampWorkspaceFromUrl(url: string): AmpWorkspace | undefined {
  const match = AMP_URL.exec(url);
  if (!match?.[1] || !match[2]) return undefined;
  return { region: match[1], workspaceId: match[2] };
}

/** What an AMP query URL looks like, for error messages. */
export const AMP_URL_FORMAT = 'https://aps-workspaces.<region>.amazonaws.com/workspaces/<ws-id>/';

/**
 * The config file's shape as one zod schema: field types, formats and unknown keys. Rules
 * that span fields (a cluster needs a source, names are unique) live in checks.ts.
 */
import * as z from 'zod';
import type { Severity } from '../rules';
import { parseTargetMinor, RULES, SEVERITIES } from '../rules';
import {
  AMP_URL_FORMAT,
  CLUSTER_NAME_PATTERN,
  EKS_CLUSTER_NAME_PATTERN,
  KMS_KEY_ARN_PATTERN,
  NAMESPACE_PATTERN,
  REGION_PATTERN,
  PARTIAL_SECRET_ARN_PATTERN,
  SECRET_ARN_PATTERN,
  SECURITY_GROUP_ID_PATTERN,
  SELECTOR_PATTERN,
  SUBNET_ID_PATTERN,
  TOPIC_ARN_PATTERN,
} from './aws-names';
import { DURATION_FORMAT, parseDuration } from './duration';
import { didYouMean, nearest } from '../util/nearest';
import { showValue } from './errors';
import { MAX_WINDOW_SECONDS, parseWindowCron } from './maintenance';
import { parseSchedule, tooSlowForHeartbeat } from './schedule';
import type { Audience } from './types';
import { AUDIENCES } from './types';

/** A strict object whose unknown-key issue lists the keys that are allowed. */
function strict<T extends z.ZodRawShape>(shape: T, unknownKeyMessage?: string) {
  const message =
    unknownKeyMessage ?? `unknown key; allowed keys: ${Object.keys(shape).join(', ')}`;
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? message : undefined),
  });
}

/**
 * How long each list may be. The config is bundled into every cold start and each cluster adds
 * resources, so a runaway list (a generated file, a paste gone wrong) stops at synth with the
 * limit named instead of deploying slowly; the VPC limits are Lambda's own.
 */
export const CONFIG_LIST_LIMITS = {
  clusters: 1000,
  emails: 50,
  https: 50,
  excludedNamespaces: 500,
  subnetIds: 16,
  securityGroupIds: 5,
} as const;

/** A `.max()` message that names the limit and why. */
function atMost(list: keyof typeof CONFIG_LIST_LIMITS, why: string) {
  const max = CONFIG_LIST_LIMITS[list];
  return [
    max,
    {
      error: (issue: { input?: unknown }) =>
        `${Array.isArray(issue.input) ? issue.input.length : 'too many'} entries; ${list} takes at most ${max} (${why})`,
    },
  ] as const;
}

/** A string matching `pattern`, with a message naming the value and the expected form. */
function matching(pattern: RegExp, expected: string) {
  return z.string().regex(pattern, {
    error: (issue) => `${showValue(issue.input)} is not ${expected}`,
  });
}

const SECRET_ARN_FORMAT =
  'arn:aws:secretsmanager:<region>:<account-id>:secret:<name>-<6 characters>';

const secretArn = z.string().superRefine((value, ctx) => {
  if (SECRET_ARN_PATTERN.test(value)) return;
  const message = PARTIAL_SECRET_ARN_PATTERN.test(value)
    ? `${showValue(value)} lacks the 6-character suffix Secrets Manager appends to the name, so the checker's IAM grant would never match the secret; copy the complete ARN that \`aws secretsmanager create-secret\` printed (or \`aws secretsmanager describe-secret --secret-id <name> --query ARN\`), ending in -<6 characters>`
    : `${showValue(value)} is not a Secrets Manager secret ARN; expected the complete ARN ${SECRET_ARN_FORMAT}`;
  ctx.addIssue({ code: 'custom', message });
});

/** Whether `value` parses as a URL with one of `protocols` and a host (`http://` alone has none). */
export function isUrlOf(value: string, protocols: readonly ('https' | 'http')[]): boolean {
  try {
    const parsed = new URL(value);
    return protocols.some((p) => parsed.protocol === `${p}:`) && parsed.hostname !== '';
  } catch {
    return false;
  }
}

function url(protocols: readonly ('https' | 'http')[], what: string, hint = '') {
  return z.string().refine((value) => isUrlOf(value, protocols), {
    error: (issue) =>
      `${showValue(issue.input)} is not ${what}; expected ${protocols.map((p) => `${p}://host[:port][/path]`).join(' or ')}${hint}`,
  });
}

const duration = z.string().refine((value) => parseDuration(value) !== undefined, {
  error: (issue) => `${showValue(issue.input)} is not ${DURATION_FORMAT}`,
});

const positiveDuration = z.string().superRefine((value, ctx) => {
  const seconds = parseDuration(value);
  if (seconds === undefined)
    ctx.addIssue({ code: 'custom', message: `${showValue(value)} is not ${DURATION_FORMAT}` });
  else if (seconds === 0)
    ctx.addIssue({ code: 'custom', message: `${showValue(value)} must be longer than 0` });
});

const schedule = z.string().superRefine((value, ctx) => {
  const parsed = parseSchedule(value);
  const problem = typeof parsed === 'string' ? parsed : tooSlowForHeartbeat(parsed);
  if (problem) ctx.addIssue({ code: 'custom', message: `${showValue(value)}: ${problem}` });
});

const timezone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  {
    error: (issue) =>
      `${showValue(issue.input)} is not an IANA time zone such as Europe/Berlin or UTC`,
  },
);

const severity = z.enum(SEVERITIES as readonly Severity[] as [Severity, ...Severity[]]);

const repeatInterval = z.union([
  positiveDuration,
  strict({
    critical: positiveDuration.optional(),
    warning: positiveDuration.optional(),
    info: positiveDuration.optional(),
  }),
]);

const defaults = strict({
  schedule: schedule.optional(),
  timezone: timezone.optional(),
  repeatInterval: repeatInterval.optional(),
  emailMinSeverity: severity.optional(),
  runbookBaseUrl: url(['https', 'http'], 'a URL').optional(),
});

const httpsEndpoint = strict({
  url: url(['https'], 'an HTTPS URL'),
  severities: z.array(severity).min(1),
  audience: z.enum(AUDIENCES as readonly Audience[] as [Audience, ...Audience[]]),
});

// The forwarder Lambda posts the machine messages at these severities to PagerDuty's Events API.
const pagerDuty = strict({
  routingKeySecretArn: secretArn,
  severities: z.array(severity).min(1),
});

const notifications = strict({
  emails: z
    .array(z.email({ error: (issue) => `${showValue(issue.input)} is not an email address` }))
    .max(...atMost('emails', 'use a mailing list for more people'))
    .optional(),
  https: z
    .array(httpsEndpoint)
    .max(...atMost('https', 'fan out behind one endpoint for more'))
    .optional(),
  topicArn: matching(
    TOPIC_ARN_PATTERN,
    'a standard SNS topic ARN arn:aws:sns:<region>:<account-id>:<name>',
  ).optional(),
  topicKeyArn: matching(
    KMS_KEY_ARN_PATTERN,
    'a KMS key ARN arn:aws:kms:<region>:<account-id>:key/<key-id> (aliases cannot be granted)',
  ).optional(),
  pagerDuty: pagerDuty.optional(),
});

const eks = strict({
  name: matching(
    EKS_CLUSTER_NAME_PATTERN,
    'an EKS cluster name (letters, digits, - and _, up to 100)',
  ),
  region: matching(REGION_PATTERN, 'an AWS region such as eu-central-1'),
  grantAccess: z.boolean(),
  accessPolicy: z.literal('view').optional(),
});

const kubernetes = strict({
  eks: eks.optional(),
  server: url(['https'], 'an API server URL').optional(),
  caSecretArn: secretArn.optional(),
  tokenSecretArn: secretArn.optional(),
  kubeconfigSecretArn: secretArn.optional(),
});

const prometheusAuth = z.discriminatedUnion('type', [
  strict({ type: z.literal('none') }),
  strict({ type: z.literal('basic'), secretArn }),
  strict({ type: z.literal('bearer'), secretArn }),
  strict({
    type: z.literal('sigv4'),
    region: matching(REGION_PATTERN, 'an AWS region such as eu-central-1').optional(),
  }),
]);

const prometheus = strict({
  url: url(['https', 'http'], 'a Prometheus URL', ` (for AMP: ${AMP_URL_FORMAT})`),
  // Absent: SigV4 for an AMP workspace URL, none otherwise (what `skewguard check` does).
  auth: prometheusAuth.optional(),
  selector: matching(
    SELECTOR_PATTERN,
    'label matchers such as cluster="prod" or cluster="prod",env=~"eu-.*"',
  ).optional(),
  caSecretArn: secretArn.optional(),
});

const vpc = strict({
  subnetIds: z
    .array(matching(SUBNET_ID_PATTERN, 'a subnet id (subnet-0123abcd...)'))
    .min(1)
    .max(...atMost('subnetIds', "Lambda's limit per function")),
  securityGroupIds: z
    .array(matching(SECURITY_GROUP_ID_PATTERN, 'a security group id (sg-0123abcd...)'))
    .min(1)
    .max(...atMost('securityGroupIds', "Lambda's limit per function")),
});

const ruleOverride = strict({
  severity: severity.optional(),
  for: duration.optional(),
  disabled: z.boolean().optional(),
});

const ruleIds = RULES.map((rule) => rule.id);

/**
 * The message for a rule id the catalogue lacks, with the nearest ids: shared by the config's
 * `rules:` section and `skewguard explain`, so both answer a typo the same way.
 */
export function unknownRuleIdMessage(id: string): string {
  return `unknown rule id ${id};${didYouMean(nearest(id, ruleIds))} \`skewguard rules\` lists them all`;
}

// Loose, with the unknown ids reported one by one: a strict object's issue carries one message
// for all its unknown keys, and each id needs its own nearest-id hint.
const rules = z
  .looseObject(Object.fromEntries(ruleIds.map((id) => [id, ruleOverride.optional()])))
  .superRefine(
    (value, ctx) => {
      for (const key of Object.keys(value)) {
        if (!ruleIds.includes(key))
          ctx.addIssue({ code: 'custom', path: [key], message: unknownRuleIdMessage(key) });
      }
    },
    // Also beside a bad override of a known rule, so one run lists every problem; a value that
    // is not a mapping already has its type issue.
    {
      when: (payload) =>
        typeof payload.value === 'object' &&
        payload.value !== null &&
        !Array.isArray(payload.value),
    },
  );

/** How often the checker recomputes the upgrade plan (and sends it when it changed). */
export const PLAN_SCHEDULES = ['daily', 'weekly'] as const;

// YAML reads `to: 1.34` as a number, and `to: 1.30` as 1.3: a number is taken only when its
// two decimals survive the parse, otherwise the message asks for quotes.
const planTarget = z.union([z.string(), z.number()]).superRefine((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'number' && !/^1\.\d{2}$/.test(text)) {
    ctx.addIssue({
      code: 'custom',
      message: `${text} is ambiguous as a number (YAML reads 1.30 as 1.3); quote the minor: to: "1.30"`,
    });
    return;
  }
  if (parseTargetMinor(text) === undefined)
    ctx.addIssue({
      code: 'custom',
      message: `${showValue(value)} is not a Kubernetes minor; write one like to: "1.34"`,
    });
});

const plan = strict({
  // Absent: the next minor, as `skewguard plan` without --to.
  to: planTarget.optional(),
  schedule: z.enum(PLAN_SCHEDULES).optional(),
});

// A window holds notifications from each cron start for its duration (lib/config/maintenance.ts).
const maintenanceWindow = strict({
  cron: z.string().superRefine((value, ctx) => {
    const parsed = parseWindowCron(value);
    if (typeof parsed === 'string')
      ctx.addIssue({ code: 'custom', message: `${showValue(value)}: ${parsed}` });
  }),
  duration: positiveDuration.superRefine((value, ctx) => {
    const seconds = parseDuration(value) ?? 0;
    if (seconds > MAX_WINDOW_SECONDS)
      ctx.addIssue({
        code: 'custom',
        message: `${showValue(value)} is longer than the 7d a window may last; split it into several windows or use \`skewguard silence add\` for a longer hold`,
      });
  }),
  timezone: timezone.optional(),
});

// Paths are relative to the config file; synth bundles the folder with the check function.
const drift = strict({
  manifests: z.string().min(1, 'a folder of rendered manifests, relative to the config file'),
  namespace: matching(NAMESPACE_PATTERN, 'a Kubernetes namespace name').optional(),
});

const cluster = strict({
  name: matching(
    CLUSTER_NAME_PATTERN,
    'a cluster name (letters, digits, ".", "-", "_"; up to 63; starting with a letter or digit)',
  ),
  kubernetes: kubernetes.optional(),
  prometheus: prometheus.optional(),
  schedule: schedule.optional(),
  vpc: vpc.optional(),
  rules: rules.optional(),
  plan: plan.optional(),
  drift: drift.optional(),
  excludedNamespaces: z
    .array(matching(NAMESPACE_PATTERN, 'a Kubernetes namespace name'))
    .max(...atMost('excludedNamespaces', 'label the namespaces and exclude fewer'))
    .optional(),
  maintenanceWindows: z.array(maintenanceWindow).optional(),
});

/** The config file's schema (input form: durations and schedules as strings). */
export const configSchema = strict({
  defaults: defaults.optional(),
  notifications: notifications.optional(),
  clusters: z
    .array(cluster)
    .min(1)
    .max(...atMost('clusters', 'deploy several stacks, each with its own config, for more')),
});

/** The config as written, after the shape is checked. */
export type ConfigDocument = z.input<typeof configSchema>;

/** A cluster entry as written. */
export type ClusterDocument = z.input<typeof cluster>;

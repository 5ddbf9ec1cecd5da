/**
 * `skewguard silence add|list|expire`: silences in the deployed ledger table, so the scheduled
 * checker holds the notices they match (lib/ledger/silences.ts) until they end.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DURATION_FORMAT, formatDuration, parseDuration } from '../config/duration';
import { unknownRuleIdMessage } from '../config/schema';
import { ScanningDynamoDbLedgerStore } from '../ledger/dynamodb-scan';
import { addSilence, expireSilence, isActiveSilence, listSilences } from '../ledger/silences';
import type { ScanningLedgerStore, SilenceItem } from '../ledger/types';
import { LedgerError } from '../ledger/types';
import { findRule } from '../rules';
import type { CliIo } from './check';
import { UsageError } from './exit';

/** The environment variable naming the ledger table when --table is not given. */
export const TABLE_ENV = 'SKEWGUARD_TABLE';

/** The longest silence: past 90 days a silence is a disabled rule, which belongs in the config. */
export const MAX_SILENCE_SECONDS = 90 * 86400;

/** Where the silences live: the options every silence command shares. */
export interface TableOptions {
  readonly table?: string;
  readonly region?: string;
  /** A DynamoDB endpoint other than AWS's (DynamoDB Local, the tests' dynalite). */
  readonly endpoint?: string;
}

/** Options of `skewguard silence add`. */
export interface AddOptions extends TableOptions {
  readonly cluster: string;
  readonly rule?: string;
  readonly subject?: string;
  readonly for: string;
  readonly comment?: string;
  readonly by?: string;
}

/** Options of `skewguard silence list`. */
export interface ListOptions extends TableOptions {
  readonly cluster?: string;
  readonly output: string;
}

/** Options of `skewguard silence expire`. */
export interface ExpireOptions extends TableOptions {
  readonly cluster?: string;
  readonly by?: string;
}

/** How to find the table name of a deployed stack, for the message when none was given. */
export const TABLE_HINT =
  'pass --table NAME or set SKEWGUARD_TABLE; the stack prints it as the output LedgerTableName: aws cloudformation describe-stacks --stack-name Skewguard --query "Stacks[0].Outputs[?OutputKey==\'LedgerTableName\'].OutputValue" --output text';

function env(io: CliIo): Readonly<Record<string, string | undefined>> {
  return io.env ?? process.env;
}

/** The ledger store the options name; the SDK's default chains supply credentials and region. */
function storeFor(opts: TableOptions, io: CliIo): ScanningLedgerStore {
  const table = opts.table ?? env(io)[TABLE_ENV];
  if (table === undefined || table === '') throw new UsageError(`no ledger table: ${TABLE_HINT}`);
  const client = new DynamoDBClient({
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
    maxAttempts: 3,
  });
  return new ScanningDynamoDbLedgerStore(client, table);
}

/**
 * Who is acting. The caller's IAM identity (STS GetCallerIdentity) would be better, but the
 * STS client is not among skewguard's packages, so `--by` or the login name is recorded.
 */
function actor(by: string | undefined, io: CliIo): string {
  const name = by ?? env(io)['USER'] ?? env(io)['USERNAME'];
  if (name === undefined || name.trim() === '') {
    throw new UsageError(
      'cannot tell who you are ($USER is not set); pass --by NAME (your email or IAM user) so the silence records who to ask',
    );
  }
  return name.trim();
}

/** Turns the SDK's region and credential failures into the fix a person can make. */
async function withTable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/region is missing/i.test(message)) {
      throw new UsageError(
        "no AWS region: pass --region REGION (the stack's region) or set AWS_REGION / a profile region",
      );
    }
    if (error instanceof LedgerError) throw new UsageError(message);
    throw error;
  }
}

/** `silence add`: validates the flags, stores the silence and prints its id. */
export async function addCommand(opts: AddOptions, io: CliIo): Promise<void> {
  if (opts.rule !== undefined && !findRule(opts.rule)) {
    throw new UsageError(`--rule: ${unknownRuleIdMessage(opts.rule)}`);
  }
  const seconds = parseDuration(opts.for);
  if (seconds === undefined || seconds === 0) {
    throw new UsageError(
      `--for ${JSON.stringify(opts.for)} is not ${DURATION_FORMAT}; e.g. --for 7d`,
    );
  }
  if (seconds > MAX_SILENCE_SECONDS) {
    throw new UsageError(
      `--for ${opts.for} is longer than the 90d a silence may last; silence again when it ends, or disable the rule in the config (rules: {${opts.rule ?? 'RuleId'}: {disabled: true}})`,
    );
  }
  const comment = opts.comment?.trim() ?? '';
  if (comment === '') {
    throw new UsageError(
      '--comment is required: say why and until what, e.g. --comment "node pool migration, ticket OPS-123"',
    );
  }
  if (opts.subject !== undefined && opts.subject.trim() === '') {
    throw new UsageError('--subject is empty; give e.g. shop/web, Deployment/shop/web or v1.26');
  }
  const createdBy = actor(opts.by, io);
  const store = storeFor(opts, io);
  const silence = await withTable(() =>
    addSilence(
      store,
      {
        cluster: opts.cluster,
        ...(opts.rule !== undefined ? { ruleId: opts.rule } : {}),
        ...(opts.subject !== undefined ? { subject: opts.subject } : {}),
        durationSeconds: seconds,
        comment,
        createdBy,
      },
      io.now(),
    ),
  );
  io.stdout(
    `silence ${silence.id} added: ${describeMatch(silence)} until ${silence.endsAt} (${formatDuration(seconds)}), by ${createdBy}\n` +
      `end it early with: skewguard silence expire ${silence.id}\n`,
  );
}

/** `silence list`: a table (or JSON) of the silences, active ones first. */
export async function listCommand(opts: ListOptions, io: CliIo): Promise<void> {
  const store = storeFor(opts, io);
  const silences = await withTable(() => listSilences(store, opts.cluster));
  const now = io.now();
  const ordered = [
    ...silences.filter((s) => isActiveSilence(s, now)),
    ...silences.filter((s) => !isActiveSilence(s, now)),
  ];
  if (opts.output === 'json') {
    io.stdout(
      `${JSON.stringify(
        ordered.map((s) => ({ ...publicFields(s), active: isActiveSilence(s, now) })),
        null,
        2,
      )}\n`,
    );
    return;
  }
  if (ordered.length === 0) {
    io.stdout(
      `no silences${opts.cluster !== undefined ? ` in cluster ${opts.cluster}` : ''}; add one with skewguard silence add --cluster C --for 1d --comment "why"\n`,
    );
    return;
  }
  const header = ['ID', 'CLUSTER', 'MATCHES', 'STATE', 'UNTIL', 'BY', 'COMMENT'];
  const rows = ordered.map((s) => [
    s.id,
    s.pk,
    describeMatch(s),
    isActiveSilence(s, now) ? 'active' : s.expiredBy !== undefined ? 'expired' : 'ended',
    s.endsAt,
    s.expiredBy !== undefined ? `${s.createdBy} (ended by ${s.expiredBy})` : s.createdBy,
    s.comment,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  io.stdout(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}

/** `silence expire`: ends the silence now; the next scheduled run notifies what still fires. */
export async function expireCommand(id: string, opts: ExpireOptions, io: CliIo): Promise<void> {
  const by = actor(opts.by, io);
  const store = storeFor(opts, io);
  const now = io.now();
  const outcome = await withTable(() => expireSilence(store, id, by, now, opts.cluster));
  if (!outcome) {
    throw new UsageError(
      `no silence ${id}${opts.cluster !== undefined ? ` in cluster ${opts.cluster}` : ''} in the table; \`skewguard silence list\` shows the ids`,
    );
  }
  const { silence, expired } = outcome;
  io.stdout(
    expired
      ? `silence ${id} of cluster ${silence.pk} expired; the next check notifies what still fires\n`
      : `silence ${id} of cluster ${silence.pk} had already ended at ${silence.endsAt}; nothing to do\n`,
  );
}

/** What a silence matches, as one phrase. */
function describeMatch(s: SilenceItem): string {
  const parts = [`cluster ${s.pk}`];
  parts.push(s.ruleId !== undefined ? `rule ${s.ruleId}` : 'every rule');
  if (s.subject !== undefined) parts.push(`subject ${s.subject}`);
  return parts.join(', ');
}

function publicFields(s: SilenceItem): Record<string, unknown> {
  return {
    id: s.id,
    cluster: s.pk,
    ...(s.ruleId !== undefined ? { ruleId: s.ruleId } : {}),
    ...(s.subject !== undefined ? { subject: s.subject } : {}),
    createdBy: s.createdBy,
    createdAt: s.createdAt,
    comment: s.comment,
    endsAt: s.endsAt,
    ...(s.expiredBy !== undefined ? { expiredBy: s.expiredBy } : {}),
  };
}

/**
 * Checks items read back from a table: a hand-edited or foreign item becomes a LedgerError
 * naming its key, never a half-typed object deep inside reconciliation.
 */
import * as z from 'zod';
import type {
  CacheItem,
  HeartbeatItem,
  LedgerItem,
  SilenceItem,
  SourceHealthItem,
  StoredItem,
} from './types';
import { LedgerError } from './types';

const severity = z.enum(['critical', 'warning', 'info']);
const isoText = z.string().refine((text) => Number.isFinite(Date.parse(text)), 'not an ISO time');

const findingItem: z.ZodType<LedgerItem> = z.object({
  type: z.literal('finding'),
  pk: z.string(),
  sk: z.string(),
  ruleId: z.string(),
  severity,
  status: z.enum(['pending', 'firing', 'resolved']),
  firstSeen: isoText,
  lastSeen: isoText,
  since: z.string().optional(),
  forSeconds: z.number().nonnegative(),
  resolvedAt: isoText.optional(),
  lastNotified: isoText.optional(),
  notifiedStatus: z.enum(['firing', 'resolved']).optional(),
  notifiedSeverity: severity.optional(),
  notifiedSeverities: z.array(severity).optional(),
  state: z.string().optional(),
  notifiedState: z.string().optional(),
  notifyCount: z.number().int().nonnegative(),
  claimId: z.string().optional(),
  claimExpiresAt: isoText.optional(),
  version: z.number().int().positive(),
  expiresAt: z.number().optional(),
  summary: z.string(),
  subject: z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() }),
  details: z.record(z.string(), z.unknown()),
  runbookUrl: z.string(),
});

const sourceHealthItem: z.ZodType<SourceHealthItem> = z.object({
  type: z.literal('sourceHealth'),
  pk: z.string(),
  sk: z.string(),
  source: z.enum(['kubernetes', 'prometheus', 'files', 'eks']),
  consecutiveFailures: z.number().int().nonnegative(),
  lastStatus: z.enum(['ok', 'failed']),
  lastReason: z.string().optional(),
  lastKind: z
    .enum([
      'dns',
      'tls',
      'auth',
      'forbidden',
      'connection',
      'timeout',
      'server',
      'protocol',
      'config',
      'input',
    ])
    .optional(),
  lastOkAt: isoText.optional(),
  updatedAt: isoText,
  version: z.number().int().positive(),
});

const cacheItem: z.ZodType<CacheItem> = z.object({
  type: z.literal('cache'),
  pk: z.string(),
  sk: z.string(),
  fetchedAt: isoText,
  expiresAt: z.number(),
  value: z.string(),
  version: z.number().int().positive(),
});

const silenceItem: z.ZodType<SilenceItem> = z.object({
  type: z.literal('silence'),
  pk: z.string(),
  sk: z.string(),
  id: z.string(),
  ruleId: z.string().optional(),
  subject: z.string().optional(),
  createdBy: z.string(),
  createdAt: isoText,
  comment: z.string(),
  endsAt: isoText,
  expiredBy: z.string().optional(),
  expiresAt: z.number(),
  version: z.number().int().positive(),
});

const heartbeatItem: z.ZodType<HeartbeatItem> = z.object({
  type: z.literal('heartbeat'),
  pk: z.string(),
  sk: z.string(),
  lastSuccessAt: isoText.optional(),
  firstSeenAt: isoText,
  expiresAt: z.number(),
  version: z.number().int().positive(),
});

const storedItem = z.union([findingItem, sourceHealthItem, cacheItem, silenceItem, heartbeatItem]);

/** Parses one raw table item; throws LedgerError naming the item, the problem and the fix. */
export function decodeStoredItem(raw: Record<string, unknown>, table: string): StoredItem {
  const parsed = storedItem.safeParse(raw);
  if (parsed.success) return parsed.data;
  const key = `${String(raw['pk'])}/${String(raw['sk'])}`;
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`)
    .join('; ');
  throw new LedgerError(
    'decode',
    `ledger item ${key} in table ${table} is not a skewguard ledger item (${problems}); ` +
      'delete the item (the ledger rebuilds it on the next run) or point the ledger at its own table',
  );
}

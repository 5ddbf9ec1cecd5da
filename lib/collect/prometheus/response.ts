/** Reading the Prometheus HTTP API's JSON envelope and headers: parsing, sample points, Retry-After, and short descriptions for messages. */
import type { AxiosResponse } from 'axios';

/** The response envelope of the Prometheus HTTP API. */
export interface Envelope {
  readonly status: 'success' | 'error';
  readonly data?: { readonly resultType: string; readonly result: unknown };
  readonly errorType?: string;
  readonly error?: string;
  readonly warnings?: readonly string[];
}

export function parseEnvelope(text: string): Envelope | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!isObject(parsed)) return undefined;
    if (parsed['status'] !== 'success' && parsed['status'] !== 'error') return undefined;
    return parsed as unknown as Envelope;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function labelsOf(item: unknown): Record<string, string> | undefined {
  const metric = isObject(item) ? item['metric'] : undefined;
  if (!isObject(metric)) return undefined;
  return Object.values(metric).every((v) => typeof v === 'string')
    ? (metric as Record<string, string>)
    : undefined;
}

/** `[seconds, "value"]` → [epoch ms, number]. */
export function pointOf(point: unknown): readonly [number, number] | undefined {
  if (!Array.isArray(point) || point.length !== 2) return undefined;
  const [ts, value] = point as unknown[];
  if (typeof ts !== 'number' || typeof value !== 'string') return undefined;
  // Prometheus writes infinities as "+Inf" and "-Inf", which Number() reads as NaN.
  const number = value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value);
  return [Math.round(ts * 1000), number];
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
export function retryAfter(header: unknown): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export function describeBody(response: AxiosResponse<string>, text: string): string {
  const type = String(response.headers['content-type'] ?? 'no content type');
  const start = text.slice(0, 80).replace(/\s+/g, ' ').trim();
  return `${type}, ${text.length} bytes${start ? `, starting ${JSON.stringify(start)}` : ''}`;
}

/** A query shortened for messages. */
export function short(query: string): string {
  return query.length > 160 ? `${JSON.stringify(query.slice(0, 157))}…` : JSON.stringify(query);
}

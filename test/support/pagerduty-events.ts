/** A fake PagerDuty Events API v2 on 127.0.0.1: validates events like PagerDuty and keeps an incident model keyed by dedup_key. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One incident the fake opened. */
export interface FakeIncident {
  readonly number: number;
  readonly dedupKey: string;
  status: 'triggered' | 'resolved';
  /** Triggers folded into it (the first included). */
  triggers: number;
  readonly summary: string;
}

/** A forced answer for the next request, before any validation. */
export interface ForcedReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** The fake server: its enqueue URL, what it received and its incidents. */
export interface FakeEventsApi {
  readonly url: string;
  /** Every request body as received (parsed when JSON). */
  readonly received: unknown[];
  readonly incidents: FakeIncident[];
  /** Answers queued here are given to the next requests, in order, instead of processing them. */
  readonly forced: ForcedReply[];
  close(): Promise<void>;
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** PagerDuty's validation of an event, as far as the forwarder's events exercise it. */
function problemsOf(event: Record<string, unknown>, routingKey: string): string[] {
  const problems: string[] = [];
  if (event['routing_key'] !== routingKey) problems.push('Invalid routing key');
  const action = event['event_action'];
  if (action !== 'trigger' && action !== 'resolve' && action !== 'acknowledge')
    problems.push("'event_action' is invalid");
  if (action !== 'trigger' && typeof event['dedup_key'] !== 'string')
    problems.push("'dedup_key' is missing");
  if (action === 'trigger') {
    const payload = event['payload'] as Record<string, unknown> | undefined;
    const summary = payload?.['summary'];
    if (typeof summary !== 'string' || summary === '')
      problems.push("'payload.summary' is missing");
    else if (summary.length > 1024) problems.push("'payload.summary' is too long");
    if (typeof payload?.['source'] !== 'string') problems.push("'payload.source' is missing");
    if (!SEVERITIES.includes(payload?.['severity'] as string))
      problems.push("'payload.severity' is invalid");
  }
  return problems;
}

function reply(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Starts the fake on an ephemeral loopback port; it accepts only `routingKey`. */
export async function startFakeEventsApi(routingKey: string): Promise<FakeEventsApi> {
  const received: unknown[] = [];
  const incidents: FakeIncident[] = [];
  const forced: ForcedReply[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    if (req.method !== 'POST' || req.url !== '/v2/enqueue') return reply(res, 404, {});
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(text) as Record<string, unknown>;
    } catch {
      received.push(text);
      return reply(res, 400, { status: 'invalid event', message: 'Event object is invalid' });
    }
    received.push(event);
    const force = forced.shift();
    if (force) return reply(res, force.status, force.body ?? {}, force.headers);
    const problems = problemsOf(event, routingKey);
    if (problems.length > 0)
      return reply(res, 400, {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: problems,
      });
    const dedupKey = (event['dedup_key'] as string | undefined) ?? `generated-${received.length}`;
    const open = incidents.find((i) => i.dedupKey === dedupKey && i.status === 'triggered');
    if (event['event_action'] === 'trigger') {
      // PagerDuty folds a trigger for an open alert into it; only a new key opens an incident.
      if (open) open.triggers++;
      else
        incidents.push({
          number: incidents.length + 1,
          dedupKey,
          status: 'triggered',
          triggers: 1,
          summary: (event['payload'] as { summary: string }).summary,
        });
    } else if (event['event_action'] === 'resolve' && open) open.status = 'resolved';
    reply(res, 202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2/enqueue`,
    received,
    incidents,
    forced,
    close: () =>
      new Promise<void>((done) => {
        // fetch keeps connections alive; without this close would wait for them to idle out.
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

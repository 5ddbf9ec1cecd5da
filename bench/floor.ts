/**
 * The floor of a live collection: the same pages skewguard fetched, read with a bare HTTPS
 * client and `JSON.parse` only, with the same keep-alive agent and concurrency. Nothing is
 * kept but a count, so this is what transport and parsing alone cost. bench/run.ts bundles
 * and runs it in its own process; prints one JSON line (FloorRun).
 */
import { Agent, request } from 'node:https';

/** A list (followed through its continue tokens) or a single GET, as skewguard first sent it. */
export interface FloorChain {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

/** What bench/run.ts passes (argv[2], JSON). */
export interface FloorRequest {
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
  readonly chains: readonly FloorChain[];
  readonly concurrency: number;
}

/** What the floor measured (stdout, JSON). */
export interface FloorRun {
  readonly ms: number;
  readonly requests: number;
  readonly bytes: number;
  readonly items: number;
  readonly maxRssBytes: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as FloorRequest;
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: input.caPem });
  let requests = 0;
  let bytes = 0;
  let items = 0;
  const get = (path: string, query: Readonly<Record<string, string>>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, input.server);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      requests += 1;
      const req = request(
        url,
        { agent, headers: { Authorization: `Bearer ${input.token}`, Accept: 'application/json' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            bytes += chunk.length;
          });
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch {
              resolve(undefined); // a 404 text body: counted, not parsed
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  const walk = async (chain: FloorChain): Promise<void> => {
    let query = chain.query;
    for (let page = 0; page < 10_000; page++) {
      const body = (await get(chain.path, query)) as
        { items?: unknown[]; metadata?: { continue?: string } } | undefined;
      items += body?.items?.length ?? 0;
      const token = body?.metadata?.continue;
      if (!token) return;
      query = { ...chain.query, continue: token };
    }
  };
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: input.concurrency }, async () => {
      while (next < input.chains.length) {
        const chain = input.chains[next++];
        if (chain) await walk(chain);
      }
    }),
  );
  const ms = performance.now() - started;
  agent.destroy();
  const run: FloorRun = {
    ms,
    requests,
    bytes,
    items,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/floor: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

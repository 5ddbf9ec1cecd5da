/**
 * `skewguard check --from-file` on hostile local input, run as a real process: an endless device,
 * a FIFO without a writer, a socket, an oversized file and endless standard input each end in
 * bounded time and memory with exit 2 and a message naming the path.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
const BIN = join(ROOT, 'bin/skewguard.cjs');
const RSS_PRELOAD = join(ROOT, 'test/support/report-rss.cjs');
// Loading the CLI through tsx costs ~150 MB; an unbounded read of /dev/zero passes 1 GB in seconds.
const MAX_RSS_MB = 400;
const MAX_SECONDS = 20;

interface Run {
  readonly code: number | null;
  readonly stderr: string;
  readonly rssMb: number;
  readonly seconds: number;
}

/** Runs the CLI with `args`, standard input from `stdin` (a stream-producing callback or nothing). */
function run(args: readonly string[], feed?: (stdin: NodeJS.WritableStream) => void): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, ['-r', RSS_PRELOAD, BIN, 'check', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  child.stdin.on('error', () => undefined); // EPIPE once the CLI stops reading
  if (feed) feed(child.stdin);
  else child.stdin.end();
  const killer = setTimeout(() => child.kill('SIGKILL'), MAX_SECONDS * 1000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      const rss = /maxRSS-kB=(\d+)/.exec(stderr);
      resolve({
        code,
        stderr: stderr.replace(/\n?maxRSS-kB=\d+\n/, ''),
        rssMb: rss ? Number(rss[1]) / 1024 : Infinity,
        seconds: (Date.now() - started) / 1000,
      });
    });
  });
}

function expectBounded(result: Run): void {
  expect(result.seconds).toBeLessThan(MAX_SECONDS);
  expect(result.rssMb).toBeLessThan(MAX_RSS_MB);
}

const dir = mkdtempSync(join(tmpdir(), 'skewguard-hostile-'));

describe('--from-file refuses what is not a regular file, folder or -', () => {
  it('refuses /dev/zero as a device instead of reading it forever', async () => {
    const result = await run(['--from-file', '/dev/zero']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'skewguard: /dev/zero: is a device; --from-file reads regular files, folders and - (standard input), so save the kubectl output to a file first\n',
    );
    expectBounded(result);
  }, 30_000);

  it('refuses a FIFO without a writer instead of blocking, also inside a folder', async () => {
    const fifoDir = mkdtempSync(join(tmpdir(), 'skewguard-fifo-'));
    const fifo = join(fifoDir, 'nodes.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const path of [fifo, fifoDir]) {
      const result = await run(['--from-file', path]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`skewguard: ${fifo}: is a named pipe (FIFO)`);
      expect(result.stderr).toContain('pipe it to `--from-file -` instead');
      expectBounded(result);
    }
  }, 60_000);

  it('refuses a socket', async () => {
    const socket = join(dir, 'kubectl.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const result = await run(['--from-file', socket]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`skewguard: ${socket}: is a socket;`);
    } finally {
      server.close();
    }
  }, 30_000);
});

describe('--from-file input is capped by --max-input-mb', () => {
  it('stops a file above the cap with its name and the flag that raises it', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"items":[${'"x",'.repeat(600_000)}"x"]}`); // ~2.4 MB
    const result = await run(['--from-file', big, '--max-input-mb', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `skewguard: ${big}: larger than 1 MB; is this really kubectl output? Raise the cap with --max-input-mb if it is\n`,
    );
    expectBounded(result);
  }, 30_000);

  it('stops endless standard input at the cap, in bounded memory', async () => {
    const zeros = Buffer.alloc(64 * 1024, 0x20);
    const result = await run(['--from-file', '-', '--max-input-mb', '16'], (stdin) => {
      // Writes until the CLI stops reading: the pipe's back-pressure keeps this side bounded too.
      const write = (): void => {
        while (stdin.write(zeros));
      };
      stdin.on('drain', write);
      write();
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'skewguard: <stdin>: larger than 16 MB; is this really kubectl output? Raise the cap with --max-input-mb if it is\n',
    );
    expectBounded(result);
  }, 30_000);

  it('refuses a cap that is not a whole number of megabytes', async () => {
    const result = await run(['--from-file', '-', '--max-input-mb', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-input-mb "lots" is not a whole number of megabytes');
  }, 30_000);
});

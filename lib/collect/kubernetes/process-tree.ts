/** Stopping an exec plugin with everything it started, without moving it out of the terminal's process group. */
import { execFileSync } from 'node:child_process';

/**
 * The processes below `pid` (children, grandchildren, …), read from `ps` once. A detached
 * process group would be simpler to kill, but a plugin outside the terminal's foreground group
 * cannot read a login prompt's answer and ignores Ctrl-C; walking the tree keeps both.
 * Empty when `ps` is missing or slow: then only the plugin itself is killed.
 */
export function descendantsOf(pid: number): number[] {
  let table: string;
  try {
    table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', timeout: 2000 });
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const line of table.split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined || !Number.isInteger(child)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const queue = [pid];
  // Bounded by the process table: each pid is visited once.
  while (queue.length > 0) {
    const next = queue.shift() as number;
    for (const child of children.get(next) ?? []) {
      if (found.includes(child)) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Sends `signal` to each pid, ignoring those already gone. */
export function killAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already exited.
    }
  }
}

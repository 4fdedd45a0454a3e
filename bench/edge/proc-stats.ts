import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we ship on). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly ppid: number;
  /** utime + stime, in ticks. */
  readonly ticks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // the process ended between listing and reading
  }
}

/** `root` and every process below it (ffmpeg children of a plugin, say). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

export function cpuTicks(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (readStat(pid)?.ticks ?? 0), 0);
}

/** Resident memory of the processes, in bytes (VmRSS). */
export function rssBytes(pids: readonly number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      sum += Number(match?.[1] ?? 0) * 1024;
    } catch {
      // gone: counts as nothing
    }
  }
  return sum;
}

/**
 * CPU used by a set of processes over `ms`, in % of one core. The set is re-read at the end (a restarted
 * ffmpeg counts from when it appears); CPU time is what the processes consumed, whatever else loads the box.
 */
export async function cpuPercent(pids: () => readonly number[], ms: number): Promise<number> {
  const before = new Map(pids().map((pid) => [pid, cpuTicks([pid])]));
  const started = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const seconds = (performance.now() - started) / 1000;
  let ticks = 0;
  for (const pid of pids()) ticks += cpuTicks([pid]) - (before.get(pid) ?? 0);
  return (100 * ticks) / TICKS_PER_SECOND / seconds;
}

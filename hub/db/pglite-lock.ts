import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, isProcessAlive } from '../../contracts/index.js';

/** Who holds the lock: a pid alone is not enough, pids are reused (after a crash, or a reboot of a container). */
export interface LockHolder {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); null where there is no /proc. */
  startTime: string | null;
  /** /proc/sys/kernel/random/boot_id of the boot the lock was taken in; null where there is no /proc. */
  bootId: string | null;
}

const holderSchema = z.object({ pid: z.number().int().positive(), startTime: z.string().nullable(), bootId: z.string().nullable() });

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export const currentBootId = (): string | null => readText('/proc/sys/kernel/random/boot_id')?.trim() ?? null;

/** Field 22 of /proc/<pid>/stat, counted after the command name (which may itself hold spaces and parentheses). */
export function processStartTime(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}


/** The lock file as written now (JSON), or as older hubs wrote it (a bare pid). */
function readHolder(path: string): LockHolder | null {
  const text = readText(path)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return { pid: Number.parseInt(text, 10), startTime: null, bootId: null };
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A bare-pid lock from an older hub: the pid must at least be a Vigil process, not whatever got that pid since. */
function looksLikeVigil(pid: number): boolean {
  const cmdline = readText(`/proc/${pid}/cmdline`);
  return cmdline === null ? true : /vigil/i.test(cmdline);
}

/**
 * Whether the lock's holder is still the process that took it. Where /proc exists, a lock from another boot
 * is stale, and a live pid counts only if its start time is the one recorded (else the pid was reused by an
 * unrelated process). Without /proc a live pid is trusted.
 */
export function isHeldBy(holder: LockHolder): boolean {
  if (holder.pid === process.pid || !isProcessAlive(holder.pid)) return false;
  const bootId = currentBootId();
  if (bootId === null) return true;
  if (holder.bootId !== null && holder.bootId !== bootId) return false;
  if (holder.startTime !== null) return processStartTime(holder.pid) === holder.startTime;
  return looksLikeVigil(holder.pid);
}

export const describeSelf = (): LockHolder => ({ pid: process.pid, startTime: processStartTime(process.pid), bootId: currentBootId() });

/**
 * PGlite serves one process at a time: two processes opening the same data directory corrupt it.
 * The first process writes who it is to `<dataDir>/pglite.lock` (O_EXCL); a second one is told plainly
 * what to do instead of hanging or corrupting the data. A lock whose holder is gone is taken over.
 */
export function acquirePgliteLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${JSON.stringify(describeSelf())}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder !== null && isHeldBy(holder)) {
        throw new AppError(
          'database_locked',
          `the embedded database in ${dataDir} is in use by process ${holder.pid} (a running hub?). ` +
            'Use the HTTP API, stop that process, or point DATABASE_URL at PostgreSQL to share one database.',
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new AppError('database_locked', `could not lock the embedded database in ${dataDir}`);
}

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../contracts/index.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * PGlite serves one process at a time: two processes opening the same data directory corrupt it.
 * The first process writes its pid to `<dataDir>/pglite.lock` (O_EXCL); a second one is told plainly
 * what to do instead of hanging or corrupting the data. A lock left by a dead process is taken over.
 */
export function acquirePgliteLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder !== null && holder !== process.pid && isAlive(holder)) {
        throw new AppError(
          'database_locked',
          `the embedded database in ${dataDir} is in use by process ${holder} (a running hub?). ` +
            'Use the HTTP API, stop that process, or point DATABASE_URL at PostgreSQL to share one database.',
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new AppError('database_locked', `could not lock the embedded database in ${dataDir}`);
}

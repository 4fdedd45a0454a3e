import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, isProcessAlive } from '../../contracts/index.js';


/** Locks held by this process: a restarted container often gets the same pid, so pid equality alone means stale. */
const heldHere = new Set<string>();

/**
 * One process owns an outbox directory at a time: two writers appending to the same segment would
 * interleave frames. A lock left by a killed process (kill -9) is stale and taken over.
 */
export async function acquireDirLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'LOCK');
  if (heldHere.has(path)) throw new AppError('outbox_locked', `outbox directory ${dir} is already open in this process`);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.sync();
      await handle.close();
      heldHere.add(path);
      return async () => {
        heldHere.delete(path);
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isProcessAlive(holder)) {
      throw new AppError('outbox_locked', `outbox directory ${dir} is in use by process ${holder}`);
    }
    await unlink(path).catch(() => undefined);
  }
  throw new AppError('outbox_locked', `could not take the lock of outbox directory ${dir}`);
}

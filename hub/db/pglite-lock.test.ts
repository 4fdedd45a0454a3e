import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../contracts/index.js';
import { acquirePgliteLock, currentBootId, processStartTime } from './pglite-lock.js';

const hasProc = existsSync('/proc/self/stat');

describe('PGlite lock: a stale lock is taken over, a live hub\'s is not', { skip: hasProc ? false : 'needs /proc' }, () => {
  let unrelated: ChildProcess;
  let pid: number;
  const dirs: string[] = [];
  const dirWithLock = (content: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'pglite.lock'), content);
    return dir;
  };

  before(async () => {
    // A process that is alive and has nothing to do with Vigil: `sleep`, which the test ends itself.
    unrelated = spawn('sleep', ['600'], { stdio: 'ignore' });
    await once(unrelated, 'spawn');
    pid = unrelated.pid as number;
  });
  after(() => {
    unrelated.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a bare-pid lock (older hubs) whose pid is now an unrelated process is taken over', () => {
    const dir = dirWithLock(`${pid}\n`);
    const release = acquirePgliteLock(dir);
    const written = JSON.parse(readFileSync(join(dir, 'pglite.lock'), 'utf8')) as { pid: number; startTime: string; bootId: string };
    assert.equal(written.pid, process.pid);
    assert.equal(written.startTime, processStartTime(process.pid));
    assert.equal(written.bootId, currentBootId());
    release();
    assert.equal(existsSync(join(dir, 'pglite.lock')), false);
  });

  test('a lock naming a live pid with another start time (the pid was reused) is taken over', () => {
    const dir = dirWithLock(JSON.stringify({ pid, startTime: '1', bootId: currentBootId() }));
    acquirePgliteLock(dir)();
  });

  test('a lock written in another boot is taken over even though its pid is alive', () => {
    const dir = dirWithLock(JSON.stringify({ pid, startTime: processStartTime(pid), bootId: 'another-boot' }));
    acquirePgliteLock(dir)();
  });

  test('a lock whose holder is alive with the recorded start time refuses with database_locked', () => {
    const dir = dirWithLock(JSON.stringify({ pid, startTime: processStartTime(pid), bootId: currentBootId() }));
    assert.throws(() => acquirePgliteLock(dir), (error: unknown) => error instanceof AppError && error.code === 'database_locked' && error.message.includes(`process ${pid}`));
  });

  test('a lock of a dead process is taken over', async () => {
    const gone = spawn('true', { stdio: 'ignore' });
    await once(gone, 'exit');
    const dir = dirWithLock(JSON.stringify({ pid: gone.pid, startTime: '1', bootId: currentBootId() }));
    acquirePgliteLock(dir)();
  });
});

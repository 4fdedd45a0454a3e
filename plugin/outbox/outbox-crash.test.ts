import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newId } from '../../contracts/index.js';
import { openOutbox } from './index.js';

const CHILD = fileURLToPath(new URL('./test-support/append-loop-child.ts', import.meta.url));

/** Runs the appending child until it has confirmed `minAcks` records, then SIGKILLs it mid-stream. */
function runAndKill(dir: string, cameraId: string, storeId: string, minAcks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, cameraId, storeId], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!line.startsWith('ok ')) return;
      acked.push(line.slice(3));
      if (acked.length === minAcks) child.kill('SIGKILL');
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      lines.close();
      if (signal !== 'SIGKILL' || acked.length < minAcks) reject(new Error(`child ended early (${signal ?? 'exit'}), acked ${acked.length}: ${stderr}`));
      else resolve(acked);
    });
  });
}

test('kill -9 while appending: every record append() confirmed is still there after reopen', { timeout: 120_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-crash-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cameraId = newId('camera');
  const storeId = newId('store');
  const confirmed: string[] = [];
  for (const round of [1, 2, 3]) {
    confirmed.push(...(await runAndKill(dir, cameraId, storeId, 150 * round)));
  }
  const outbox = await openOutbox({ dir });
  try {
    const stored = await outbox.peek('event', cameraId, 100_000);
    const storedIds = stored.map((r) => (r.payload as { id: string }).id);
    const present = new Set(storedIds);
    const missing = confirmed.filter((id) => !present.has(id));
    assert.deepEqual(missing, [], `${missing.length} confirmed records lost`);
    assert.equal(present.size, storedIds.length, 'no record is stored twice');
    assert.deepEqual(stored.map((r) => r.seq), stored.map((_, i) => i + 1), 'sequence numbers are contiguous');
    assert.ok(stored.length >= confirmed.length);
  } finally {
    await outbox.close();
  }
});

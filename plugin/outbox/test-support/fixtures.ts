import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DetectionEventInput, Id } from '../../../contracts/index.js';
import { newId } from '../../../contracts/index.js';

export function buildEvent(overrides: { cameraId: Id<'camera'>; storeId: Id<'store'>; n: number; attributes?: Record<string, string | number | boolean | null> }): DetectionEventInput {
  return {
    id: newId('event'),
    cameraId: overrides.cameraId,
    storeId: overrides.storeId,
    type: 'zone_dwell',
    occurredAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + overrides.n * 1000).toISOString(),
    confidence: 0.8,
    rule: { name: 'zone_dwell', version: '1' },
    zone: 'exit',
    attributes: { n: overrides.n, ...overrides.attributes },
  };
}

export async function tempDir(t: { after: (fn: () => Promise<void>) => void }, prefix = 'vigil-outbox-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Polls `check` until it returns true; a liveness guard, not a timing assertion. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

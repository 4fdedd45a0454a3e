import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EvidenceStore } from '../../contracts/index.js';
import { judgeFixity, type FixityResult } from './fixity.js';
import type { EvidenceItemRow } from './rows.js';

export const EXT: Record<string, string> = { clip: 'mp4', snapshot: 'jpg', metadata: 'json' };

export interface StagedOriginal {
  item: EvidenceItemRow;
  /** A local copy of the stored bytes: the bundle is built from exactly the bytes that were checked. */
  file: string;
  fixity: FixityResult;
}

export interface Staging {
  dir: string;
  staged: StagedOriginal[];
  failures: FixityResult[];
  cleanup(): Promise<void>;
}

export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(path)).size };
}

async function copyOut(store: EvidenceStore, item: EvidenceItemRow, file: string): Promise<FixityResult> {
  try {
    await pipeline(await store.get(item.storage_key), createWriteStream(file));
  } catch (error) {
    return { itemId: item.id, ok: false, problem: 'unreadable', actualSha256: null, actualBytes: null, message: `${item.id}: stored bytes cannot be read (${(error as Error).message.slice(0, 200)})` };
  }
  return judgeFixity({ id: item.id, sha256: item.sha256, bytes: Number(item.bytes) }, await sha256File(file));
}

/**
 * Copies every item out of the store into a private temporary directory and re-checks each copy against
 * its acquisition hash (fixity before export). The caller refuses the export when `failures` is not empty.
 */
export async function stageOriginals(store: EvidenceStore, items: EvidenceItemRow[]): Promise<Staging> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bundle-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const staged: StagedOriginal[] = [];
    for (const item of items) {
      const file = join(dir, `raw-${item.id}.${EXT[item.kind] ?? 'bin'}`);
      staged.push({ item, file, fixity: await copyOut(store, item, file) });
    }
    return { dir, staged, failures: staged.map((s) => s.fixity).filter((f) => !f.ok), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

import { open, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from './atomic-file.js';
import { scanFrames } from './frame.js';

export const SEGMENT_SUFFIX = '.seg';

export interface Segment {
  readonly firstSeq: number;
  /** `firstSeq - 1` while the segment is empty. */
  lastSeq: number;
  /** Bytes of complete, fsynced frames. */
  size: number;
  readonly path: string;
}

/** What recovery found wrong with the files, for the log and the stats; never silent. */
export interface RecoveryIssue {
  readonly kind: 'torn_tail' | 'corrupt_segment' | 'stale_segment';
  readonly file: string;
  readonly bytes: number;
  readonly detail: string;
}

export interface RecoveredStream {
  readonly segments: Segment[];
  /** Byte offset of record `ackedSeq + 1` inside the segment that holds it, when found. */
  readonly head: { seq: number; firstSeq: number; offset: number; at: number } | undefined;
  readonly issues: RecoveryIssue[];
}

export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(16, '0')}${SEGMENT_SUFFIX}`;
}

async function truncateFile(path: string, size: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(size);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function listSegments(dir: string): Promise<Array<{ firstSeq: number; path: string }>> {
  const names = await readdir(dir);
  return names
    .filter((name) => /^\d{16}\.seg$/.test(name))
    .map((name) => ({ firstSeq: Number.parseInt(name, 10), path: join(dir, name) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/**
 * Opens a stream's segments after a clean stop or a crash. Fully acknowledged segments are deleted
 * unread (a crash between the cursor write and the delete leaves them); every other segment is
 * validated frame by frame. A torn final frame of the LAST segment is the expected trace of a crash
 * mid-append (it was never acknowledged as durable) and is truncated. Damage anywhere else is real
 * corruption: the damaged tail is kept beside the segment as `.corrupt` for forensics and reported.
 */
export async function recoverSegments(dir: string, ackedSeq: number, maxBodyBytes: number): Promise<RecoveredStream> {
  const listed = await listSegments(dir);
  const segments: Segment[] = [];
  const issues: RecoveryIssue[] = [];
  let head: RecoveredStream['head'];
  for (let i = 0; i < listed.length; i += 1) {
    const entry = listed[i]!;
    const next = listed[i + 1];
    const isLast = next === undefined;
    if (!isLast && next.firstSeq <= ackedSeq + 1) {
      await unlink(entry.path);
      continue;
    }
    const buffer = await readFile(entry.path);
    const scan = scanFrames(buffer, { expectedSeq: entry.firstSeq, maxBodyBytes });
    if (scan.stop !== 'end') {
      const bytes = buffer.length - scan.goodEnd;
      if (isLast) {
        issues.push({ kind: 'torn_tail', file: entry.path, bytes, detail: `final frame ${scan.stop}` });
      } else {
        await writeFile(`${entry.path}.corrupt`, buffer.subarray(scan.goodEnd));
        issues.push({ kind: 'corrupt_segment', file: entry.path, bytes, detail: `frame ${scan.stop} after ${scan.records.length} records` });
      }
      await truncateFile(entry.path, scan.goodEnd);
    }
    const lastSeq = entry.firstSeq + scan.records.length - 1;
    if (scan.records.length === 0 && !isLast) {
      await unlink(entry.path);
      continue;
    }
    const found = scan.records.find((record) => record.seq === ackedSeq + 1);
    if (found) head = { seq: found.seq, firstSeq: entry.firstSeq, offset: found.offset, at: found.at };
    segments.push({ firstSeq: entry.firstSeq, lastSeq, size: scan.goodEnd, path: entry.path });
  }
  await dropStaleTail(segments, ackedSeq, issues);
  if (listed.length > 0) await fsyncDir(dir);
  return { segments, head, issues };
}

/**
 * An empty last segment whose name no longer matches the next sequence number (everything before it
 * was acknowledged and compacted) would break the name == first seq invariant: remove it.
 */
async function dropStaleTail(segments: Segment[], ackedSeq: number, issues: RecoveryIssue[]): Promise<void> {
  const last = segments.at(-1);
  if (!last || last.size > 0) return;
  const previous = segments.at(-2);
  const expectedFirst = Math.max(previous ? previous.lastSeq + 1 : 0, ackedSeq + 1);
  if (last.firstSeq === expectedFirst) return;
  await unlink(last.path);
  segments.pop();
  issues.push({ kind: 'stale_segment', file: last.path, bytes: 0, detail: 'empty segment with an outdated first sequence' });
}

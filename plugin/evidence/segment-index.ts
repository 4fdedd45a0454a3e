import { z } from 'zod';

export interface Segment {
  /** File name inside the recorder's directory. */
  readonly file: string;
  readonly path: string;
  readonly runId: string;
  /** Wall-clock (epoch ms) of the segment's first and last instant, as received. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly bytes: number;
}

const csvLine = z.tuple([
  z.string().regex(/^[\w.-]+\.ts$/),
  z.coerce.number().nonnegative(),
  z.coerce.number().nonnegative(),
]);

export interface ListEntry {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** Parses ffmpeg's segment list CSV (`file,start,end`); lines that do not parse are skipped, never thrown. */
export function parseSegmentList(text: string): ListEntry[] {
  const entries: ListEntry[] = [];
  for (const line of text.split('\n')) {
    const parsed = csvLine.safeParse(line.trim().split(','));
    if (parsed.success && parsed.data[2] >= parsed.data[1]) {
      entries.push({ file: parsed.data[0], start: parsed.data[1], end: parsed.data[2] });
    }
  }
  return entries;
}

/** How many recent observations anchor a run's timeline to the wall clock (tracks camera clock drift). */
const ANCHOR_SAMPLES = 10;

/**
 * The segments on disk and their wall-clock spans. ffmpeg's list gives times on the output timeline of one run;
 * a segment is listed the moment the next keyframe arrives, so `observedAt - end` is that run's wall-clock origin
 * plus our polling latency. The minimum over recent observations is the best estimate of the origin.
 */
export class SegmentIndex {
  private readonly list: Segment[] = [];
  private readonly anchors = new Map<string, number[]>();
  /** Per run, the highest segment number ingested: ffmpeg numbers a run's segments in order, and its list
   * repeats recent entries, so anything at or below it was seen (a set of names would grow forever). */
  private readonly lastNumber = new Map<string, number>();

  constructor(private readonly dir: string) {}

  /** Adds the entries of one run's list not seen before; returns them. `sizeOf` gives a file's size (0 if gone). */
  ingest(runId: string, entries: readonly ListEntry[], observedAt: number, sizeOf: (path: string) => number): Segment[] {
    const seen = this.lastNumber.get(runId) ?? -1;
    const fresh = entries.filter((entry) => segmentNumber(entry.file) > seen);
    if (fresh.length === 0) return [];
    this.lastNumber.set(runId, Math.max(...fresh.map((entry) => segmentNumber(entry.file))));
    const samples = this.anchors.get(runId) ?? [];
    const newest = Math.max(...fresh.map((entry) => entry.end));
    samples.push(observedAt - newest * 1000);
    if (samples.length > ANCHOR_SAMPLES) samples.shift();
    this.anchors.set(runId, samples);
    const origin = Math.min(...samples);
    const added = fresh.map((entry): Segment => {
      const path = `${this.dir}/${entry.file}`;
      const startedAt = Math.round(origin + entry.start * 1000);
      return { file: entry.file, path, runId, startedAt, endedAt: Math.round(origin + entry.end * 1000), bytes: sizeOf(path) };
    });
    this.list.push(...added);
    this.list.sort((a, b) => a.startedAt - b.startedAt);
    return added;
  }

  /** Segments overlapping [from, to], oldest first. */
  covering(from: number, to: number): Segment[] {
    return this.list.filter((segment) => segment.endedAt > from && segment.startedAt < to);
  }

  all(): readonly Segment[] {
    return this.list;
  }

  latestEnd(): number | null {
    return this.list.reduce<number | null>((latest, s) => (latest === null || s.endedAt > latest ? s.endedAt : latest), null);
  }

  bytes(): number {
    return this.list.reduce((sum, segment) => sum + segment.bytes, 0);
  }

  /**
   * Removes (from the index; the caller deletes the files) segments that ended before `now - windowMs`, then the
   * oldest ones while the total exceeds `maxBytes`. Pinned segments (a clip is being cut from them) stay.
   */
  prune(now: number, windowMs: number, maxBytes: number, pinned: ReadonlySet<string>): Segment[] {
    const removed: Segment[] = [];
    let total = this.bytes();
    for (let i = 0; i < this.list.length; ) {
      const segment = this.list[i];
      if (!segment) break;
      const expired = segment.endedAt < now - windowMs || total > maxBytes;
      if (expired && !pinned.has(segment.path)) {
        this.list.splice(i, 1);
        total -= segment.bytes;
        removed.push(segment);
      } else {
        if (!expired) break;
        i += 1;
      }
    }
    return removed;
  }

  /** Forgets a finished run's clock anchor (its segments stay until pruned). */
  endRun(runId: string): void {
    this.anchors.delete(runId);
    this.lastNumber.delete(runId);
  }
}

/** `<run>-000042.ts` -> 42; -1 for a name that is not ours. */
function segmentNumber(file: string): number {
  const match = /-(\d+)\.ts$/.exec(file);
  return match?.[1] === undefined ? -1 : Number(match[1]);
}

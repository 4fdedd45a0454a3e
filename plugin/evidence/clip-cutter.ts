import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegPath, spawnFfmpeg } from '../capture/index.js';
import { ClipError } from './clip-error.js';
import { hashFile } from './file-hash.js';
import { probeMedia } from './media-probe.js';
import { checkSegment } from './segment-check.js';
import type { Segment } from './segment-index.js';

export interface ClipRequest {
  /** The moment of the incident (epoch ms). */
  readonly at: number;
  readonly preMs?: number;
  readonly postMs?: number;
  readonly outputDir: string;
  /** File name stem (letters, digits, `._-`); `<camera>-<at>` by default. */
  readonly name?: string;
  /** How long past `at + post` to wait for the post-roll to reach disk (a segment closes at its next keyframe). */
  readonly maxWaitMs?: number;
}

export interface EvidenceFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface ClipFile extends EvidenceFile {
  readonly contentType: 'video/mp4';
  readonly startedAt: number;
  readonly endedAt: number;
  readonly codec: string;
  readonly profile: string | null;
  readonly segments: number;
}

export interface SnapshotFile extends EvidenceFile {
  readonly contentType: 'image/jpeg';
  readonly at: number;
}

export interface ClipResult {
  readonly cameraId: string;
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly clip: ClipFile;
  /** Null only if no frame could be decoded at `at` (the clip is still good); see warnings. */
  readonly snapshot: SnapshotFile | null;
  /** True when the clip covers [from, to] without gaps or skipped segments. */
  readonly complete: boolean;
  readonly warnings: readonly string[];
}

/** What the cutter needs from a recorder. */
export interface SegmentSource {
  readonly cameraId: string;
  covering(from: number, to: number): Segment[];
  waitForRecorded(until: number, deadline: number): Promise<boolean>;
  pin(segments: readonly Segment[]): () => void;
}

export interface CutterBinaries {
  readonly ffmpeg?: string;
}

const GAP_TOLERANCE_MS = 500;
/** A clip may end at most this far ahead (a bad clock or unit must not park a request for hours). */
const MAX_FUTURE_MS = 120_000;

/**
 * Cuts [at - pre, at + post] out of the ring buffer by stream copy into a faststart MP4, plus a JPEG at `at`, and
 * hashes both. H.264 copy cuts can only start on a keyframe, so the clip starts at the first covering segment's
 * start (segments start on keyframes) at or before `at - pre`, and is trimmed to end at `at + post`: it covers the
 * window and is never short. Nothing is re-encoded.
 */
export async function cutClip(source: SegmentSource, request: ClipRequest, binaries: CutterBinaries = {}): Promise<ClipResult> {
  const { at, preMs = 5_000, postMs = 5_000, maxWaitMs = 15_000 } = request;
  const name = request.name ?? `${source.cameraId}-${at}`;
  if (!Number.isFinite(at) || preMs < 0 || postMs < 0 || !/^[\w.-]{1,100}$/.test(name) || name.startsWith('.')) {
    throw new ClipError('invalid_request', 'clip request needs a finite time, non-negative pre/post and a plain file name');
  }
  const from = at - preMs;
  const to = at + postMs;
  if (to - Date.now() > MAX_FUTURE_MS) {
    throw new ClipError('invalid_request', `clip window ends ${Math.round((to - Date.now()) / 1000)}s in the future`);
  }
  const warnings: string[] = [];
  // Pin the pre-roll before waiting for the post-roll: with a short window it would be pruned meanwhile.
  const unpinEarly = source.pin(source.covering(from, to));
  let unpin = (): void => undefined;
  try {
    if (!(await source.waitForRecorded(to, to + maxWaitMs))) warnings.push('post-roll not fully recorded (recorder stalled or stopped)');
    unpin = source.pin(source.covering(from, to));
    const segments = await usableSegments(source.covering(from, to), warnings);
    const first = segments[0];
    const last = segments.at(-1);
    if (!first || !last) throw new ClipError('no_segments', `no recorded video of camera ${source.cameraId} covers the requested time`);
    noteCoverage(segments, from, to, warnings);
    await mkdir(request.outputDir, { recursive: true });
    const clip = await concatToMp4(segments, (to - first.startedAt) / 1000, join(request.outputDir, `${name}.mp4`), binaries);
    const endedAt = first.startedAt + Math.round(clip.duration * 1000);
    const clipFile: ClipFile = {
      path: clip.path,
      ...(await hashFile(clip.path)),
      contentType: 'video/mp4',
      startedAt: first.startedAt,
      endedAt,
      codec: clip.codec,
      profile: clip.profile,
      segments: segments.length,
    };
    const offset = Math.min(Math.max(0, (at - first.startedAt) / 1000), Math.max(0, clip.duration - 0.2));
    const snapshot = await snapshotAt(clip.path, offset, join(request.outputDir, `${name}.jpg`), binaries, warnings);
    const snapshotFile: SnapshotFile | null = snapshot ? { path: snapshot, ...(await hashFile(snapshot)), contentType: 'image/jpeg', at } : null;
    const complete = warnings.length === 0;
    return { cameraId: source.cameraId, at, from, to, clip: clipFile, snapshot: snapshotFile, complete, warnings };
  } finally {
    unpin();
    unpinEarly();
  }
}

async function usableSegments(candidates: readonly Segment[], warnings: string[]): Promise<Segment[]> {
  const usable: Segment[] = [];
  for (const segment of candidates) {
    const problem = await checkSegment(segment.path);
    if (problem === null) usable.push(segment);
    else warnings.push(`segment ${segment.file} skipped: ${problem}`);
  }
  return usable;
}

function noteCoverage(segments: readonly Segment[], from: number, to: number, warnings: string[]): void {
  const first = segments[0];
  const last = segments.at(-1);
  if (first && first.startedAt > from) warnings.push(`pre-roll starts ${(first.startedAt - from) / 1000}s late (nothing recorded earlier)`);
  if (last && last.endedAt < to) warnings.push(`post-roll ends ${(to - last.endedAt) / 1000}s early`);
  for (let i = 1; i < segments.length; i += 1) {
    const gap = segments[i]!.startedAt - segments[i - 1]!.endedAt;
    if (gap > GAP_TOLERANCE_MS) warnings.push(`gap of ${gap / 1000}s in the recording before ${segments[i]!.file} (stream lost)`);
  }
}

async function concatToMp4(segments: readonly Segment[], seconds: number, out: string, binaries: CutterBinaries) {
  const list = `${out}.ffconcat`;
  const partial = `${out}.partial`;
  const escape = (path: string): string => path.replaceAll("'", "'\\''");
  await writeFile(list, `ffconcat version 1.0\n${segments.map((s) => `file '${escape(s.path)}'\n`).join('')}`);
  try {
    const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list];
    // `-t` trims the tail (any frame may end a copy); `+faststart` moves the moov atom before mdat for streaming.
    args.push('-map', '0:v:0', '-c', 'copy', '-t', seconds.toFixed(3), '-movflags', '+faststart', '-f', 'mp4', partial);
    await runToCompletion(args, binaries.ffmpeg, 'cut_failed');
    const probe = await probeMedia(partial, binaries.ffmpeg ?? ffmpegPath);
    const { video, format } = probe;
    if (!video || !format.duration) throw new ClipError('cut_failed', 'the cut clip has no video stream');
    await rename(partial, out);
    return { path: out, duration: format.duration, codec: video.codec, profile: video.profile };
  } finally {
    await rm(list, { force: true });
    await rm(partial, { force: true });
  }
}

async function snapshotAt(clip: string, offsetSeconds: number, out: string, binaries: CutterBinaries, warnings: string[]) {
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y', '-ss', offsetSeconds.toFixed(3), '-i', clip];
  args.push('-frames:v', '1', '-q:v', '3', '-f', 'image2', out);
  try {
    await runToCompletion(args, binaries.ffmpeg, 'cut_failed');
    // ffmpeg exits 0 with "Output file is empty" when no frame decodes at that point.
    if ((await stat(out).catch(() => null))?.size) return out;
    warnings.push('snapshot failed: no frame decoded at the incident time');
    return null;
  } catch (error) {
    warnings.push(`snapshot failed: ${(error as Error).message}`);
    await rm(out, { force: true });
    return null;
  }
}

async function runToCompletion(args: string[], binary: string | undefined, failure: 'cut_failed'): Promise<void> {
  const run = spawnFfmpeg(args, { binary: binary ?? ffmpegPath });
  const timer = setTimeout(() => void run.stop(500), 60_000);
  const exit = await run.exited;
  clearTimeout(timer);
  if (exit.code !== 0) {
    throw new ClipError(failure, `ffmpeg ${exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`}: ${exit.lastError ?? 'no message'}`);
  }
}

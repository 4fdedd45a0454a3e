import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { z } from 'zod';
import { AppError, type EvidenceStore } from '../../contracts/index.js';

const probeSchema = z.object({
  streams: z.array(z.object({ codec_type: z.string().optional(), codec_name: z.string().optional(), nb_frames: z.string().optional(), nb_read_packets: z.string().optional() })).default([]),
  format: z.object({ format_name: z.string().optional(), duration: z.string().optional() }).optional(),
});

export interface ClipProbe {
  codec: string;
  durationSeconds: number | null;
  packets: number;
}

function runProbe(source: AsyncIterable<Uint8Array> | string, binary: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // From stdin, not a file: the probe reads the object the store holds, and a pipe cannot seek, so a clip
    // whose moov atom is not up front (not faststart) fails here, as it should.
    const input = typeof source === 'string' ? source : 'pipe:0';
    const child = spawn(binary, ['-v', 'error', '-count_packets', '-show_entries', 'stream=codec_type,codec_name,nb_frames,nb_read_packets:format=format_name,duration', '-of', 'json', '-i', input], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', reject);
    // ffprobe may stop reading early on a broken file: a closed pipe is its verdict, not ours to report.
    child.stdin.on('error', () => undefined);
    if (typeof source === 'string') child.stdin.end();
    else pipeline(Readable.from(source), child.stdin).catch(() => undefined);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Checks a stored clip is a whole H.264 MP4 with its index up front: ffprobe (@ffprobe-installer) counts the
 * packets it can actually read and compares them with the index. A truncated file reads fewer packets and
 * logs "partial file"; garbage has no video stream.
 */
export async function checkClip(store: EvidenceStore, key: string, binary: string = ffprobeInstaller.path): Promise<ClipProbe> {
  // A local file is probed in place (cheaper than a pipe); it can seek, so the index position is checked apart.
  const path = store.localPath?.(key) ?? null;
  if (path) await checkIndexFirst(store, key);
  const result = await runProbe(path ?? (await store.get(key)), binary);
  const problem = (reason: string) => new AppError('media_invalid', `the clip is not a complete H.264 MP4: ${reason}`, { details: { reason } });
  if (result.signal) throw new AppError('unavailable', `ffprobe died (${result.signal}); try the upload again later`);
  const errors = result.stderr.trim();
  if (result.code !== 0) throw problem(errors.split('\n').at(-1) || `ffprobe exit ${result.code}`);
  let parsed: z.infer<typeof probeSchema>;
  try {
    parsed = probeSchema.parse(JSON.parse(result.stdout));
  } catch {
    throw problem('unreadable probe output');
  }
  const video = parsed.streams.find((s) => s.codec_type === 'video');
  if (!parsed.format?.format_name?.includes('mp4')) throw problem(`container is ${parsed.format?.format_name ?? 'unknown'}`);
  if (!video) throw problem('no video stream');
  if (video.codec_name !== 'h264') throw problem(`video codec is ${video.codec_name ?? 'unknown'}, not h264`);
  const packets = Number(video.nb_read_packets ?? 0);
  const indexed = video.nb_frames === undefined ? packets : Number(video.nb_frames);
  if (errors) throw problem(errors.split('\n')[0] ?? errors);
  if (packets === 0 || packets < indexed) throw problem(`read ${packets} of ${indexed} frames (truncated)`);
  const duration = parsed.format.duration === undefined ? null : Number(parsed.format.duration);
  return { codec: video.codec_name, durationSeconds: Number.isFinite(duration) ? duration : null, packets };
}

async function readRange(store: EvidenceStore, key: string, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key, { start, end })) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Walks the MP4's top-level boxes: `moov` (the index) must come before `mdat` (faststart, so a browser can
 * start playing at once), and no box may run past the end of the file (truncation).
 */
export async function checkIndexFirst(store: EvidenceStore, key: string): Promise<void> {
  const size = (await store.stat(key))?.bytes ?? 0;
  const invalid = (reason: string) => new AppError('media_invalid', `the clip is not a complete H.264 MP4: ${reason}`, { details: { reason } });
  let offset = 0;
  let sawIndex = false;
  for (let boxes = 0; offset < size && boxes < 64; boxes += 1) {
    if (offset + 8 > size) throw invalid('truncated box header');
    const header = await readRange(store, key, offset, Math.min(offset + 15, size - 1));
    let length = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (length === 1 && header.length >= 16) length = Number(header.readBigUInt64BE(8));
    else if (length === 0) length = size - offset;
    if (length < 8 || offset + length > size) throw invalid(`box ${type} runs past the end of the file (truncated)`);
    if (type === 'moov') sawIndex = true;
    if (type === 'mdat' && !sawIndex) throw invalid('the index (moov) is not before the media data (not faststart)');
    offset += length;
  }
  if (!sawIndex) throw invalid('no moov box');
}

/** A snapshot must be one whole JPEG: SOI marker first, EOI marker last. */
export async function checkJpeg(store: EvidenceStore, key: string, bytes: number): Promise<void> {
  const read = async (start: number, end: number) => {
    const chunks: Buffer[] = [];
    for await (const chunk of await store.get(key, { start, end })) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  };
  if (bytes < 4) throw new AppError('media_invalid', 'the snapshot is too short to be a JPEG');
  const head = await read(0, 2);
  const tail = await read(bytes - 2, bytes - 1);
  if (head[0] !== 0xff || head[1] !== 0xd8 || head[2] !== 0xff) throw new AppError('media_invalid', 'the snapshot is not a JPEG (no SOI marker)');
  if (tail[0] !== 0xff || tail[1] !== 0xd9) throw new AppError('media_invalid', 'the snapshot JPEG is truncated (no EOI marker)');
}

import { AppError, type EvidenceStore } from '../../contracts/index.js';
import { inspectJpeg, type JpegFacts } from './media-jpeg.js';
import { inspectMp4, type ClipFacts, type RangeReader } from './media-mp4.js';
import { mediaInvalid } from './media-text.js';

export type { ClipFacts, JpegFacts };

/** Snapshots are read whole to walk their segments; a larger one is no camera snapshot. */
const MAX_SNAPSHOT_BYTES = 32 * 1024 * 1024;

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const rangeReader = (store: EvidenceStore, key: string): RangeReader => async (start, end) => readAll(await store.get(key, { start, end }));

/**
 * Checks a stored clip is a whole H.264 faststart MP4 by walking its boxes (media-mp4.ts): a few small reads,
 * no ffprobe and no second pass over the bytes.
 */
export async function checkClip(store: EvidenceStore, key: string, bytes: number): Promise<ClipFacts> {
  return inspectMp4(rangeReader(store, key), bytes);
}

/** Checks a stored snapshot is one whole JPEG the redactor can decode (media-jpeg.ts). */
export async function checkJpeg(store: EvidenceStore, key: string, bytes: number): Promise<JpegFacts> {
  if (bytes > MAX_SNAPSHOT_BYTES) throw mediaInvalid('snapshot', `larger than ${MAX_SNAPSHOT_BYTES / 1024 / 1024} MB`);
  return inspectJpeg(await readAll(await store.get(key)));
}

/** Checks a metadata item is JSON. */
export async function checkJson(store: EvidenceStore, key: string): Promise<void> {
  try {
    JSON.parse((await readAll(await store.get(key))).toString('utf8'));
  } catch {
    throw new AppError('media_invalid', 'the metadata item is not JSON');
  }
}

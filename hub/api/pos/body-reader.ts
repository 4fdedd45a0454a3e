import type { IncomingMessage } from 'node:http';
import { AppError } from '../../../contracts/index.js';

/**
 * Reads a POS upload with a hard byte limit, refusing an oversized body by its Content-Length before
 * reading a byte, or as soon as a chunked body crosses the limit, so a 50 MB upload costs milliseconds.
 */
export async function readLimitedText(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new AppError('payload_too_large', `body of ${declared} bytes exceeds the POS upload limit of ${limit} bytes`, { details: { limit } });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new AppError('payload_too_large', `body exceeds the POS upload limit of ${limit} bytes`, { details: { limit } });
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

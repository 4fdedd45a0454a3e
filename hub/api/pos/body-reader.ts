import type { IncomingMessage } from 'node:http';
import { AppError } from '../../../contracts/index.js';

/**
 * Reads a POS upload with a hard byte limit, refusing an oversized body by its Content-Length before
 * reading a byte, or as soon as a chunked body crosses the limit, so a 50 MB upload costs milliseconds.
 */
export async function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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
  // allocUnsafeSlow: a body that owns its memory, so it can be handed to the parse worker without a copy.
  const body = Buffer.allocUnsafeSlow(size);
  let offset = 0;
  for (const chunk of chunks) offset += chunk.copy(body, offset);
  return body;
}

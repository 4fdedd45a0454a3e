import type { IncomingMessage } from 'node:http';
import { AppError } from '../../contracts/index.js';

/**
 * The request body as text, refused with 413 as soon as it passes `limit` (by Content-Length before a byte
 * is read, or while it streams in). The rest of an oversized body is drained, not buffered, so the
 * client reads the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const tooLarge = (): AppError => new AppError('payload_too_large', `the body is larger than ${limit} bytes`, { details: { limit } });
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isRefused = false;
    req.on('data', (chunk: Buffer) => {
      if (isRefused) return;
      size += chunk.length;
      if (size > limit) {
        isRefused = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!isRefused) resolve(Buffer.concat(chunks, size).toString('utf8'));
    });
    req.on('error', (cause) => reject(new AppError('bad_request', `the request body could not be read: ${cause.message}`, { cause })));
  });
}

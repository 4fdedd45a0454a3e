import type { IncomingMessage } from 'node:http';
import { AppError } from '../../../contracts/index.js';

/**
 * Reads a JSON body with a hard byte limit: an oversized body is refused as soon as the limit is crossed
 * (and by Content-Length before reading), malformed JSON is a 400 with the parser's reason.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'send the body as application/json');
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new AppError('payload_too_large', `body of ${declared} bytes exceeds this route's limit of ${limit} bytes`, { details: { limit } });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw new AppError('payload_too_large', `body exceeds this route's limit of ${limit} bytes`, { details: { limit } });
    }
    chunks.push(buf);
  }
  let text: string;
  try {
    text = strictUtf8.decode(Buffer.concat(chunks, size));
  } catch (cause) {
    throw new AppError('invalid_input', 'the request body is not valid UTF-8', { cause });
  }
  if (text.trim() === '') throw new AppError('malformed_json', 'the request body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AppError('malformed_json', `the request body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

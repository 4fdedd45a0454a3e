import type { IncomingMessage } from 'node:http';
import { AppError } from '../../contracts/index.js';

const LIMIT = 16 * 1024;

/** A small application/x-www-form-urlencoded body (the login form), bounded. */
export async function readFormBody(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) throw new AppError('unsupported_media_type', 'send the login form as application/x-www-form-urlencoded');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMIT) throw new AppError('payload_too_large', 'login form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

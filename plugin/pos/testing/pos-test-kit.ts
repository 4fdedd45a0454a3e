import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { LanePosHub } from '../lane-pos-hub.js';
import { posConfigSchema, type PosConfig, type PosConfigInput } from '../pos-config-schema.js';

export const LANE_A = 'lan_01jd0x6q8e4t0m3v7x9k2c5b1a';
export const LANE_B = 'lan_01jd0x6q8e4t0m3v7x9k2c5b1b';

export function posConfig(input: PosConfigInput): PosConfig {
  return posConfigSchema.parse(input);
}

/**
 * Resolves once `predicate` holds, checking now and on every change the hub reports. Gives up after
 * `failAfterMs` with the hub's health in the message, so a broken test fails instead of hanging its file.
 */
export function until(hub: LanePosHub, predicate: () => boolean, failAfterMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`condition not met; health: ${JSON.stringify(hub.health())}`));
    }, failAfterMs);
    const off = hub.onChange(() => {
      if (!predicate()) return;
      off();
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The port a source bound (config port 0). */
export function portOf(hub: LanePosHub, index: number): number {
  const source = hub.sourceAt(index);
  const address = source?.health().address ?? '';
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`source ${index} has no port (${address})`);
  return port;
}

export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `bytes` in chunks of `size` bytes, so lines (and CRLFs and characters) straddle chunk boundaries. */
export async function writeChunked(socket: Socket, bytes: Buffer, size: number): Promise<void> {
  for (let i = 0; i < bytes.length; i += size) {
    await new Promise<void>((resolve, reject) => socket.write(bytes.subarray(i, i + size), (error) => (error ? reject(error) : resolve())));
  }
}

export function endSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
  });
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
}

export interface PostOptions {
  readonly path?: string;
  readonly method?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** Send the body in pieces without a Content-Length (chunked transfer encoding). */
  readonly isChunked?: boolean;
}

/** A real HTTP request to the receiver on 127.0.0.1; resolves with the status and the parsed JSON body. */
export function post(port: number, body: string | Buffer, options: PostOptions = {}): Promise<HttpAnswer> {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  const headers: Record<string, string> = { ...(options.contentType ? { 'content-type': options.contentType } : {}), ...options.headers };
  if (!options.isChunked) headers['content-length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    let hasAnswer = false;
    let failure: Error | undefined;
    const req = request({ host: '127.0.0.1', port, path: options.path ?? '/v1/pos/transactions', method: options.method ?? 'POST', headers }, (res) => {
      hasAnswer = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? null : JSON.parse(text), headers: res.headers });
      });
    });
    // The receiver may answer 413 and close before the whole body is written; the answer is what counts.
    req.on('error', (error) => {
      failure = error;
    });
    req.on('close', () => {
      if (!hasAnswer) reject(failure ?? new Error('the connection closed without an answer'));
    });
    if (options.isChunked) {
      for (let i = 0; i < payload.length; i += 16 * 1024) req.write(payload.subarray(i, i + 16 * 1024));
      req.end();
    } else req.end(payload);
  });
}

/** A deterministic PRNG (mulberry32), so noisy test data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

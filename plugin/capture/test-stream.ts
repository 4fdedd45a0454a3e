// Test support (not part of the public face): an H.264 MPEG-TS file made by the bundled ffmpeg, and a TCP server
// that plays it (or random bytes) at its real-time rate, so capture and recording run against a live-like source
// without a second ffmpeg burning CPU.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegPath } from './ffmpeg-binaries.js';

const run = promisify(execFile);

export interface TestClipOptions {
  readonly seconds?: number;
  readonly fps?: number;
  readonly size?: string;
  /** Keyframe interval in frames. */
  readonly gop?: number;
}

/** Encodes lavfi testsrc2 to H.264 (baseline-ish, ultrafast) in MPEG-TS; returns the file path. */
export async function makeTestClip(dir: string, options: TestClipOptions = {}): Promise<string> {
  const { seconds = 20, fps = 10, size = '320x180', gop = fps } = options;
  const file = join(dir, `src-${size}-${fps}-${seconds}.ts`);
  await run(ffmpegPath, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}`,
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(gop), '-pix_fmt', 'yuv420p',
    '-f', 'mpegts', file,
  ]);
  return file;
}

export interface PacedServer {
  readonly port: number;
  readonly url: string;
  /** Closes the listener and cuts every connection (the camera "dies"). */
  stop(): Promise<void>;
  /** Listens again on the same port (the camera "returns"). */
  start(): Promise<void>;
  readonly connections: () => number;
  /** Keeps connections open but sends nothing (a camera that hangs); `thaw()` resumes. */
  freeze(): void;
  thaw(): void;
}

/** Serves `source` (a file's bytes, looped, from the start for every client; or 'random' garbage) at `bytesPerSecond`. */
export async function startPacedServer(source: Buffer | 'random', bytesPerSecond: number): Promise<PacedServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let frozen = false;
  const tickMs = 50;
  const perTick = Math.max(188, Math.round((bytesPerSecond * tickMs) / 1000 / 188) * 188);
  const serve = (socket: Socket): void => {
    connections += 1;
    sockets.add(socket);
    let offset = 0;
    const timer = setInterval(() => {
      if (frozen) return;
      if (source === 'random') {
        socket.write(randomBytes(perTick));
        return;
      }
      const end = Math.min(source.length, offset + perTick);
      socket.write(source.subarray(offset, end));
      offset = end >= source.length ? 0 : end;
    }, tickMs);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
  };
  let server: Server = createServer(serve);
  let port = await listen(server, 0);
  return {
    get port() {
      return port;
    },
    get url() {
      return `tcp://127.0.0.1:${port}`;
    },
    connections: () => connections,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async start() {
      server = createServer(serve);
      port = await listen(server, port);
    },
  };
}

/** A paced server for a file made by makeTestClip, at the file's own rate. */
export async function serveClip(file: string, seconds: number): Promise<PacedServer> {
  const bytes = await readFile(file);
  return startPacedServer(bytes, bytes.length / seconds);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

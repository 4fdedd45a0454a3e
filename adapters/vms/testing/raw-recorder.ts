import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** What one connection to a raw recorder carried, byte for byte. */
export interface RawTranscript {
  readonly bytes: Buffer;
}

/**
 * A TCP server that records the exact bytes of each connection. `respond` sees the bytes so far and returns the
 * bytes to answer (then the connection is closed), `null` to wait for more, or `'silent'` never to answer.
 */
export interface RawRecorder {
  readonly port: number;
  /** Resolves with the transcript of the next connection once the client ended it or it was answered. */
  nextTranscript(): Promise<RawTranscript>;
  close(): Promise<void>;
}

export type RawResponder = (received: Buffer) => Buffer | null | 'silent';

export async function startRawRecorder(respond: RawResponder): Promise<RawRecorder> {
  const waiting: Array<(t: RawTranscript) => void> = [];
  const done: RawTranscript[] = [];
  const sockets = new Set<Socket>();
  const deliver = (t: RawTranscript): void => {
    const next = waiting.shift();
    if (next) next(t);
    else done.push(t);
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let received = Buffer.alloc(0);
    let isRecorded = false;
    const record = (): void => {
      if (isRecorded) return;
      isRecorded = true;
      deliver({ bytes: received });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = respond(received);
      if (answer === 'silent') return record();
      if (answer) {
        record();
        socket.end(answer);
      }
    });
    socket.on('end', () => {
      record();
      socket.end();
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    nextTranscript: () => new Promise((resolve) => {
      const ready = done.shift();
      if (ready) resolve(ready);
      else waiting.push(resolve);
    }),
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Once the head and Content-Length bytes of an HTTP request are in: its body, else null. */
export function completeHttpBody(received: Buffer): Buffer | null {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = received.subarray(0, end).toString('latin1');
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
  const body = received.subarray(end + 4);
  return body.length >= length ? body.subarray(0, length) : null;
}

/** An HTTP/1.1 answer as the Event Server frames it. */
export function httpAnswer(status: number, reason: string, body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes.length}\r\n\r\n`, 'latin1'), bytes]);
}

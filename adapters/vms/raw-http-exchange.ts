import { connect, type Socket } from 'node:net';

/** A parsed HTTP/1.x response read off a raw socket. */
export interface RawHttpResponse {
  readonly statusCode: number;
  readonly reason: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

export interface RawExchangeOptions {
  readonly host: string;
  readonly port: number;
  readonly request: Buffer;
  readonly signal: AbortSignal;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** The peer answered something that is not HTTP: the host and port point at another service. */
export class NotHttpError extends Error {
  override readonly name = 'NotHttpError';
}

/** Parses what arrived so far; null until the head and `Content-Length` bytes of body are in (or the peer closed). */
export function parseRawHttpResponse(data: Buffer, isClosed: boolean): RawHttpResponse | null {
  const end = data.indexOf(HEADER_END);
  if (end < 0) return null;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/.exec(lines[0] ?? '');
  if (!status) throw new NotHttpError(`not an HTTP response: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const bodyBytes = data.subarray(end + HEADER_END.length);
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
    const body = dechunk(bodyBytes);
    return body ? response(status, headers, body) : isClosed ? response(status, headers, bodyBytes) : null;
  }
  const declared = headers.get('content-length');
  const length = declared === undefined ? null : Number(declared);
  if (length !== null && Number.isFinite(length)) {
    if (bodyBytes.length < length) return isClosed ? response(status, headers, bodyBytes) : null;
    return response(status, headers, bodyBytes.subarray(0, length));
  }
  return isClosed ? response(status, headers, bodyBytes) : null;
}

/** The body of a complete chunked encoding, or null while the last (zero) chunk has not arrived. */
function dechunk(data: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw new Error('malformed chunked body');
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return null;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function response(status: RegExpExecArray, headers: Map<string, string>, body: Buffer): RawHttpResponse {
  return { statusCode: Number(status[1]), reason: status[2] ?? '', headers, body: body.toString('utf8') };
}

/**
 * Writes one request on a fresh TCP connection and reads the answer. Rejects on network errors, on a peer
 * that closes without an answer, and when `signal` aborts (the socket is destroyed at once).
 */
export function rawHttpExchange(options: RawExchangeOptions): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(options.signal.reason);
      return;
    }
    const socket: Socket = connect({ host: options.host, port: options.port });
    const chunks: Buffer[] = [];
    const finish = (error: unknown, result?: RawHttpResponse): void => {
      options.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (result) resolve(result);
      else reject(error);
    };
    const onAbort = (): void => finish(options.signal.reason);
    const tryParse = (isClosed: boolean): void => {
      try {
        const parsed = parseRawHttpResponse(Buffer.concat(chunks), isClosed);
        if (parsed) finish(null, parsed);
        else if (isClosed) finish(new Error('the server closed the connection without an answer'));
      } catch (error) {
        finish(error);
      }
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => socket.write(options.request));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('error', (error) => finish(error));
  });
}

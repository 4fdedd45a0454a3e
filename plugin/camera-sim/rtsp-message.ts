export interface RtspRequest {
  readonly method: string;
  readonly uri: string;
  /** Header names lower-cased. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

export type RtspInput = { readonly kind: 'request'; readonly request: RtspRequest } | { readonly kind: 'malformed'; readonly reason: string };

const MAX_HEAD = 16 * 1024;
const MAX_BODY = 64 * 1024;
const REQUEST_LINE = /^([A-Z_]{1,32}) (\S{1,2048}) RTSP\/1\.0$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;

/**
 * Incremental RTSP/1.0 request reader for one connection. Interleaved binary frames ('$', channel, length) that
 * clients send on TCP transport (RTCP receiver reports) are skipped. After a malformed message the stream can no
 * longer be framed, so the reader reports it once and ignores the rest; the server answers 400 and hangs up.
 */
export class RtspRequestReader {
  private buffer: Buffer = Buffer.alloc(0);
  private broken = false;

  push(chunk: Buffer): RtspInput[] {
    if (this.broken) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: RtspInput[] = [];
    for (;;) {
      const item = this.next();
      if (item === null) break;
      if (item === 'skipped') continue;
      out.push(item);
      if (item.kind === 'malformed') {
        this.broken = true;
        this.buffer = Buffer.alloc(0);
        break;
      }
    }
    return out;
  }

  private next(): RtspInput | 'skipped' | null {
    if (this.buffer.length === 0) return null;
    if (this.buffer[0] === 0x24) return this.skipInterleaved();
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) {
      return this.buffer.length > MAX_HEAD ? { kind: 'malformed', reason: 'header section too large' } : null;
    }
    if (headEnd > MAX_HEAD) return { kind: 'malformed', reason: 'header section too large' };
    const parsed = parseHead(this.buffer.subarray(0, headEnd).toString('latin1'));
    if ('reason' in parsed) return { kind: 'malformed', reason: parsed.reason };
    const lengthText = parsed.headers.get('content-length') ?? '0';
    if (!/^\d{1,6}$/.test(lengthText) || Number(lengthText) > MAX_BODY) return { kind: 'malformed', reason: 'bad Content-Length' };
    const total = headEnd + 4 + Number(lengthText);
    if (this.buffer.length < total) return null;
    const body = Buffer.from(this.buffer.subarray(headEnd + 4, total));
    this.buffer = this.buffer.subarray(total);
    return { kind: 'request', request: { ...parsed, body } };
  }

  private skipInterleaved(): 'skipped' | null {
    if (this.buffer.length < 4) return null;
    const total = 4 + this.buffer.readUInt16BE(2);
    if (this.buffer.length < total) return null;
    this.buffer = this.buffer.subarray(total);
    return 'skipped';
  }
}

function parseHead(head: string): { method: string; uri: string; headers: Map<string, string> } | { reason: string } {
  const lines = head.split('\r\n');
  const match = REQUEST_LINE.exec(lines[0] ?? '');
  if (!match) return { reason: 'bad request line' };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const header = HEADER_LINE.exec(line);
    if (!header) return { reason: 'bad header line' };
    headers.set((header[1] ?? '').toLowerCase(), (header[2] ?? '').trim());
  }
  return { method: match[1] ?? '', uri: match[2] ?? '', headers };
}

const REASONS: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed',
  453: 'Not Enough Bandwidth', 454: 'Session Not Found', 455: 'Method Not Valid in This State', 459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport', 500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable',
};

export function formatResponse(status: number, headers: Record<string, string | string[] | undefined>, body?: string): Buffer {
  const lines = [`RTSP/1.0 ${status} ${REASONS[status] ?? 'Error'}`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  lines.push('Server: vigil-camera-sim');
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`, 'utf8');
}

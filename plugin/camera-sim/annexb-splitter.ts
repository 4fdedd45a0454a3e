/** NAL unit types of H.264 (ITU-T H.264 table 7-1) that the simulator cares about. */
export const NAL = { idr: 5, sei: 6, sps: 7, pps: 8, aud: 9 } as const;

/** One coded picture: its NAL units without start codes, as the encoder wrote them. */
export interface AccessUnit {
  readonly nals: readonly Buffer[];
  readonly isKeyframe: boolean;
  /** Wall-clock time (epoch ms) when the access unit was complete; RTP timestamps derive from it. */
  readonly wallMs: number;
}

export const nalType = (nal: Buffer): number => (nal[0] ?? 0) & 0x1f;

/**
 * Splits an H.264 Annex-B byte stream (as ffmpeg `-f h264` writes it) into NAL units and groups them into
 * access units. The encoder is run with `aud=1`, so every access unit starts with an access unit delimiter:
 * an AU is complete when the next delimiter arrives (one frame of latency, the price of a pipe without framing).
 */
export class AnnexBSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  private current: Buffer[] = [];
  private readonly onAccessUnit: (au: AccessUnit) => void;
  private readonly maxBuffered: number;

  constructor(onAccessUnit: (au: AccessUnit) => void, maxBuffered = 8 * 1024 * 1024) {
    this.onAccessUnit = onAccessUnit;
    this.maxBuffered = maxBuffered;
  }

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let start = findStartCode(this.buffer, 0);
    if (start < 0) {
      this.dropIfOversized();
      return;
    }
    for (;;) {
      const payloadStart = start + 3;
      const next = findStartCode(this.buffer, payloadStart);
      if (next < 0) break;
      this.acceptNal(trimTrailingZeros(this.buffer.subarray(payloadStart, next)));
      start = next;
    }
    // Keep the unfinished NAL (from its start code) for the next chunk; copy so the old chunk can be freed.
    this.buffer = Buffer.from(this.buffer.subarray(start));
    this.dropIfOversized();
  }

  /** Emits what is buffered as the last access unit (end of stream). */
  flush(): void {
    const start = findStartCode(this.buffer, 0);
    if (start >= 0) this.acceptNal(trimTrailingZeros(this.buffer.subarray(start + 3)));
    this.buffer = Buffer.alloc(0);
    this.emitCurrent();
  }

  private acceptNal(nal: Buffer): void {
    if (nal.length === 0) return;
    if (nalType(nal) === NAL.aud) {
      this.emitCurrent();
      return;
    }
    this.current.push(Buffer.from(nal));
  }

  private emitCurrent(): void {
    if (this.current.length === 0) return;
    const nals = this.current;
    this.current = [];
    this.onAccessUnit({ nals, isKeyframe: nals.some((n) => nalType(n) === NAL.idr), wallMs: Date.now() });
  }

  // A stream without start codes is not H.264: never let it grow memory without bound.
  private dropIfOversized(): void {
    if (this.buffer.length > this.maxBuffered) this.buffer = Buffer.alloc(0);
  }
}

/** Index of the next 00 00 01 at or after `from`, or -1. */
function findStartCode(buf: Buffer, from: number): number {
  let i = buf.indexOf(0, from);
  while (i >= 0 && i + 2 < buf.length) {
    if (buf[i + 1] === 0 && buf[i + 2] === 1) return i;
    i = buf.indexOf(0, i + 1);
  }
  return -1;
}

// A 4-byte start code (00 00 00 01) leaves its first zero at the end of the previous NAL; a NAL never ends in 0x00.
function trimTrailingZeros(nal: Buffer): Buffer {
  let end = nal.length;
  while (end > 0 && nal[end - 1] === 0) end--;
  return nal.subarray(0, end);
}

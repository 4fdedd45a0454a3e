/** One piece of a byte stream: a line without its terminator, or a line too long to keep (discarded unread). */
export type SplitItem = { readonly kind: 'line'; readonly bytes: Buffer } | { readonly kind: 'overflow'; readonly bytes: number };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines at LF, CRLF or a lone CR (older receipt printers), whatever the chunk
 * boundaries: a line (or a CRLF) split across chunks is joined. Splitting bytes, not text, keeps a
 * multi-byte character cut by a chunk boundary whole. A line over `maxLineBytes` is not buffered: its bytes are
 * dropped as they come and it is reported once as an overflow when its terminator arrives.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private pending = 0;
  private isDiscarding = false;
  private isAfterCr = false;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer): SplitItem[] {
    const out: SplitItem[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (this.isAfterCr) {
        this.isAfterCr = false;
        if (byte === LF) {
          start = i + 1;
          continue;
        }
      }
      if (byte !== LF && byte !== CR) continue;
      this.append(chunk.subarray(start, i));
      out.push(this.take());
      start = i + 1;
      this.isAfterCr = byte === CR;
    }
    this.append(chunk.subarray(start));
    return out;
  }

  /** The unterminated tail, when the stream ended cleanly. */
  finish(): SplitItem[] {
    return this.pending > 0 || this.isDiscarding ? [this.take()] : [];
  }

  /** Bytes of an unterminated line held back. */
  get heldBytes(): number {
    return this.pending;
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    this.pending += part.length;
    if (this.isDiscarding) return;
    if (this.pending > this.maxLineBytes) {
      this.isDiscarding = true;
      this.parts = [];
      return;
    }
    // Copied: the socket may reuse the chunk's memory.
    this.parts.push(Buffer.from(part));
  }

  private take(): SplitItem {
    const item: SplitItem = this.isDiscarding ? { kind: 'overflow', bytes: this.pending } : { kind: 'line', bytes: Buffer.concat(this.parts, this.pending) };
    this.parts = [];
    this.pending = 0;
    this.isDiscarding = false;
    return item;
  }
}

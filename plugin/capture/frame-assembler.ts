import type { BufferPool } from './buffer-pool.js';

/**
 * Cuts ffmpeg's rawvideo byte stream into fixed-size frames. Pipe chunks are copied once, straight into a pooled
 * frame buffer; a chunk may end mid-frame or hold several frames.
 */
export class FrameAssembler {
  private current: Uint8Array | null = null;
  private filled = 0;

  constructor(
    private readonly pool: BufferPool,
    private readonly onFrame: (data: Uint8Array) => void,
  ) {}

  push(chunk: Uint8Array): void {
    const frameSize = this.pool.size;
    let offset = 0;
    while (offset < chunk.length) {
      const target = this.current ?? this.pool.acquire();
      this.current = target;
      const n = Math.min(frameSize - this.filled, chunk.length - offset);
      target.set(chunk.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === frameSize) {
        this.current = null;
        this.filled = 0;
        this.onFrame(target);
      }
    }
  }

  /** Drops a partial frame (the decoder died mid-frame); the next byte starts a new frame. */
  reset(): void {
    if (this.current) this.pool.release(this.current);
    this.current = null;
    this.filled = 0;
  }
}

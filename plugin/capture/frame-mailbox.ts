import type { Frame } from '../../contracts/capabilities.js';
import type { BufferPool } from './buffer-pool.js';

/**
 * A one-slot mailbox between the decoder and a consumer: the newest frame wins. When the consumer is slower than
 * the decoder, the frame still waiting is dropped (and counted) and its buffer goes back to the pool.
 */
export class FrameMailbox {
  private pending: Frame | null = null;
  private waiter: ((frame: Frame | null) => void) | null = null;
  private closed = false;
  dropped = 0;
  delivered = 0;

  constructor(private readonly pool: BufferPool) {}

  put(frame: Frame): void {
    if (this.closed) {
      this.pool.release(frame.data);
      return;
    }
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = null;
      this.delivered += 1;
      resolve(frame);
      return;
    }
    if (this.pending) {
      this.dropped += 1;
      this.pool.release(this.pending.data);
    }
    this.pending = frame;
  }

  /** The newest frame, waiting for one if none is pending; null once closed. */
  take(): Promise<Frame | null> {
    if (this.pending) {
      const frame = this.pending;
      this.pending = null;
      this.delivered += 1;
      return Promise.resolve(frame);
    }
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  close(): void {
    this.closed = true;
    if (this.pending) this.pool.release(this.pending.data);
    this.pending = null;
    const resolve = this.waiter;
    this.waiter = null;
    resolve?.(null);
  }
}

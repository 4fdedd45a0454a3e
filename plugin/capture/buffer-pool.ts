/**
 * A few fixed-size frame buffers reused round-robin, so steady decoding allocates nothing. A buffer that comes
 * back detached (the consumer transferred its ArrayBuffer to a worker thread) or of another size is dropped and
 * replaced by a fresh one on the next `acquire()`.
 */
export class BufferPool {
  private readonly free: Uint8Array[] = [];
  private allocated = 0;

  constructor(
    readonly size: number,
    private readonly capacity: number,
  ) {}

  acquire(): Uint8Array {
    const reused = this.free.pop();
    if (reused) return reused;
    this.allocated += 1;
    // Its own ArrayBuffer (not a slice of Node's shared slab) so a consumer may transfer it.
    return new Uint8Array(this.size);
  }

  release(buffer: Uint8Array): void {
    if (buffer.byteLength !== this.size || this.free.length >= this.capacity || this.free.includes(buffer)) return;
    this.free.push(buffer);
  }

  /** How many buffers were ever allocated: stays at the pool's capacity while nothing leaks. */
  get allocations(): number {
    return this.allocated;
  }
}

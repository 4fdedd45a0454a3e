import type { Knex } from 'knex';
import { recordAttempts, type AttemptEntry, type AttemptRecord, type ClaimedDelivery } from './delivery-store.js';

interface Pending {
  entry: AttemptEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for attempt records: while one batch is being written, finished deliveries queue up and
 * go together in the next statement. Each caller still waits until its own record is written.
 */
export class AttemptWriter {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly knex: Knex, private readonly maxBatch = 500) {}

  write(d: ClaimedDelivery, attempt: AttemptRecord, next: AttemptEntry['next']): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry: { d, attempt, next }, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await recordAttempts(this.knex, batch.map((p) => p.entry));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.flushing = false;
  }
}

import { open, readFile, stat } from 'node:fs/promises';

export interface DeadLetterEntry {
  readonly stream: string;
  readonly seq: number;
  readonly reason: string;
  readonly payload: unknown;
}

/**
 * Records the hub refused for good (validation), one JSON line each, fsynced before the record is
 * acknowledged: a refused event is moved aside for a human, never lost and never blocking its camera.
 */
export class DeadLetterFile {
  readonly path: string;
  private count = 0;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  /** Entries in the file: those of earlier runs (counted by `load`) and those written since. */
  get written(): number {
    return this.count;
  }

  /** Counts the entries earlier runs left, so the outbox's status shows every dead letter still on disk. */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let lines = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
    this.count += lines;
  }

  write(entry: DeadLetterEntry): Promise<void> {
    const line = `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`;
    const run = this.chain.then(async () => {
      const handle = await open(this.path, 'a');
      try {
        await handle.write(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.count += 1;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  async bytes(): Promise<number> {
    try {
      return (await stat(this.path)).size;
    } catch {
      return 0;
    }
  }
}

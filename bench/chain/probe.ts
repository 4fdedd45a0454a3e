import { readFileSync } from 'node:fs';
import pg from 'pg';

/** CPU seconds a process has used (user + system), from /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Samples what the bench database's backends are doing: on CPU, waiting for a lock, for I/O, or for the hub (idle in transaction). */
export class PgSampler {
  private readonly client: pg.Client;
  private timer: NodeJS.Timeout | null = null;
  counts = new Map<string, number>();
  samples = 0;

  constructor(url: string, private readonly database: string) {
    this.client = new pg.Client({ connectionString: url });
  }

  async start(): Promise<void> {
    await this.client.connect();
    this.timer = setInterval(() => void this.sample(), 200);
  }

  reset(): void {
    this.counts = new Map();
    this.samples = 0;
  }

  private async sample(): Promise<void> {
    const { rows } = await this.client.query<{ what: string; n: number }>(
      `SELECT CASE WHEN state = 'idle in transaction' THEN 'waiting for the hub (idle in transaction)'
                   WHEN wait_event_type IS NULL THEN 'on CPU' ELSE wait_event_type || ':' || wait_event END AS what, count(*)::int AS n
         FROM pg_stat_activity WHERE datname = $1 AND state <> 'idle' AND pid <> pg_backend_pid() GROUP BY 1`, [this.database]).catch(() => ({ rows: [] }));
    this.samples += 1;
    for (const r of rows) this.counts.set(r.what, (this.counts.get(r.what) ?? 0) + r.n);
  }

  /** Mean busy backends per state over the samples, largest first. */
  summary(): Array<[string, number]> {
    return [...this.counts].map(([k, n]): [string, number] => [k, n / Math.max(1, this.samples)]).sort((a, b) => b[1] - a[1]);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.client.end();
  }
}

// CPU time spent by a process and by a database's PostgreSQL backends during a phase, from /proc (Linux):
// a figure that a busy machine does not distort the way wall-clock rates are, and that says which side
// (the Node process or PostgreSQL) a request's cost lies on.
import { readFileSync } from 'node:fs';
import pg from 'pg';

const TICKS_PER_SECOND = 100;

/** utime + stime of a process in ms, or null where /proc does not have it. */
function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after it are space separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export interface CpuSample {
  processMs: number;
  databaseMs: number;
}

export interface CpuMeter {
  /** The CPU used by the process and the database's backends since `start` was called. */
  measure<T>(run: () => Promise<T>): Promise<{ result: T; cpu: CpuSample | null }>;
  close(): Promise<void>;
}

/** Meters `pid` and the backends of `databaseUrl`'s database; a backend that appears during a phase counts whole. */
export async function cpuMeter(pid: number, databaseUrl: string): Promise<CpuMeter> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const backends = async (): Promise<Map<number, number>> => {
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    return new Map(rows.flatMap((r) => { const ms = cpuMs(r.pid); return ms === null ? [] : [[r.pid, ms] as [number, number]]; }));
  };
  return {
    async measure(run) {
      const processBefore = cpuMs(pid);
      const before = await backends();
      const result = await run();
      const processAfter = cpuMs(pid);
      const after = await backends();
      if (processBefore === null || processAfter === null) return { result, cpu: null };
      let databaseMs = 0;
      for (const [backend, ms] of after) databaseMs += ms - (before.get(backend) ?? 0);
      return { result, cpu: { processMs: processAfter - processBefore, databaseMs } };
    },
    close: () => admin.end(),
  };
}

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import ClientPGLite from 'knex-pglite';
import pg from 'pg';
import { acquirePgliteLock } from './pglite-lock.js';
import { TenantBoundPgClient } from './tenant-bound-pg-client.js';

// PGlite parses int8 as a JS number; make pg do the same so both backends hand back one shape.
// Counters and sequence numbers stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number.parseInt(value, 10));

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  readonly knex: Knex;
  readonly kind: DatabaseKind;
  close(): Promise<void>;
}

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory` keeps the database in memory (tests). */
  dataDir: string | 'memory';
  poolMax?: number;
}

function connectPostgres(url: string, poolMax: number): Database {
  const knex = knexFactory({
    client: TenantBoundPgClient as unknown as typeof Knex.Client,
    connection: { connectionString: url, application_name: 'vigil-hub' },
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 30_000 },
  });
  return { knex, kind: 'postgres', close: () => knex.destroy() };
}

function connectPglite(dataDir: string | 'memory'): Database {
  const inMemory = dataDir === 'memory';
  let release: () => void = () => undefined;
  let filename: string | undefined;
  if (!inMemory) {
    const dir = resolve(dataDir);
    release = acquirePgliteLock(dir);
    filename = join(dir, 'pglite');
    mkdirSync(filename, { recursive: true });
  }
  const knex = knexFactory({
    client: ClientPGLite,
    dialect: 'postgres',
    connection: filename === undefined ? {} : { filename },
  });
  return {
    knex,
    kind: 'pglite',
    close: async () => {
      try {
        await knex.destroy();
      } finally {
        release();
      }
    },
  };
}

/** PostgreSQL when a URL is given, otherwise embedded PGlite. Same migrations and SQL for both. */
export function connectDatabase(options: ConnectOptions): Database {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options.poolMax ?? 10);
  return connectPglite(options.dataDir);
}

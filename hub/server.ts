import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createHubApp, type HubApp } from './app.js';
import { setUpAuditKeys } from './audit/index.js';
import { startIdentity, type Identity } from './auth/oidc/index.js';
import { loadHubConfig, type HubConfig, type HubConfigInput } from './config/index.js';
import { connectDatabase, ensureMonthlyPartitions, migrateUp, type Database } from './db/index.js';
import { createLogger } from './logger.js';
import { loadTenantPolicy } from './policies-store/tenant-policy-loader.js';
import { startWorker, type RunningWorker } from './worker/index.js';

export interface RunningHub {
  url: string;
  config: HubConfig;
  db: Database;
  knex: Knex;
  hub: HubApp;
  /** Human login (OpenID Connect) and, with VIGIL_DEV_IDP=1, the built-in provider. */
  identity: Identity;
  server: Server;
  log: Logger;
  stop(): Promise<void>;
}

export interface StartHubOptions {
  config?: HubConfig;
  overrides?: Partial<HubConfigInput>;
  /** An already-open database (tests); otherwise one is opened from the config. */
  db?: Database;
  log?: Logger;
  migrate?: boolean;
}

/** Opens the database, migrates, makes the time partitions, and listens. `stop` closes all of it in order. */
export async function startHub(options: StartHubOptions = {}): Promise<RunningHub> {
  const config = options.config ?? loadHubConfig({ overrides: options.overrides ?? {} });
  const log = options.log ?? createLogger(config.logLevel);
  const db = options.db ?? connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.databasePoolMax });
  try {
    if (options.migrate !== false) {
      const applied = await migrateUp(db.knex);
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
    }
    await ensureMonthlyPartitions(db.knex);
    setUpAuditKeys(db.knex, config, log);
  } catch (error) {
    if (!options.db) await db.close();
    throw error;
  }
  const worker: RunningWorker | null = config.role === 'api' ? null : startWorker({ knex: db.knex, log, config });
  // The request handler is attached after listening: the dev provider's issuer and the redirect URI
  // contain the port, which is only known now when port 0 was asked for.
  const server = createServer();
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}`;
  let identity: Identity;
  try {
    identity = await startIdentity({ config, knex: db.knex, log, baseUrl: config.publicUrl ?? url, internalUrl: url });
  } catch (error) {
    server.close();
    await worker?.stop();
    if (!options.db) await db.close();
    throw error;
  }
  const hub = createHubApp(config, db.knex, log, { resolvers: identity.resolvers, loadTenantRules: loadTenantPolicy });
  server.on('request', identity.handler(hub.app.callback()));
  log.info({ url, database: db.kind }, 'hub listening');
  return {
    url, config, db, knex: db.knex, hub, identity, server, log,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await worker?.stop();
      if (!options.db) await db.close();
    },
  };
}

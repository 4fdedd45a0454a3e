import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock } from '../contracts/index.js';
import { createHubApp, type HubApp } from './app.js';
import { setUpAuditKeys } from './audit/index.js';
import { bindEvidenceSecrets } from './evidence/index.js';
import { secretBoxFromConfig } from './webhooks/index.js';
import { startIdentity, type Identity } from './auth/oidc/index.js';
import { loadHubConfig, type HubConfig, type HubConfigOverrides } from './config/index.js';
import { connectDatabase, ensureMonthlyPartitions, migrateUp, type Database } from './db/index.js';
import type { RuleCatalog } from './commands/store-rules-editor.js';
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
  overrides?: HubConfigOverrides;
  /** An already-open database (tests); otherwise one is opened from the config. */
  db?: Database;
  log?: Logger;
  migrate?: boolean;
  /** The hub's clock: routes, commands, link checks and console sessions read it; tests pass one they can move. */
  clock?: Clock;
  /** The rule types store rule documents are checked against; without one the hub refuses to save rules (503). */
  ruleCatalog?: RuleCatalog;
}

/** A hub whose database, identity and application are ready, but which does not listen yet. */
export interface PreparedHub {
  /** The port it will listen on (chosen now when the config asks for 0). */
  port: number;
  url: string;
  /** Opens the port (and starts the worker): from the first connection on, every request is answered. */
  listen(): Promise<RunningHub>;
  /** Gives up without listening: closes what prepare opened. */
  abort(): Promise<void>;
}

/**
 * Port 0 means "any free port", but the dev provider's issuer and the redirect URI contain the port and
 * must be known before the app is built, which is before the hub may listen. So the kernel picks one on a
 * throwaway socket first. (Another process could take it in between; listen then fails with EADDRINUSE.)
 */
async function choosePort(host: string, port: number): Promise<number> {
  if (port !== 0) return port;
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, () => resolve());
  });
  const chosen = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return chosen;
}

const urlFor = (host: string, port: number): string =>
  `http://${host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

async function readyDatabase(db: Database, options: StartHubOptions, log: Logger): Promise<void> {
  if (options.migrate !== false) {
    const applied = await migrateUp(db.knex);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  }
  await ensureMonthlyPartitions(db.knex);
}

/**
 * Everything before the port opens, in order: database, migrations, time partitions, identity, the app.
 * A request can only reach the hub once all of it is in place, so none is accepted and left unanswered.
 */
export async function prepareHub(options: StartHubOptions = {}): Promise<PreparedHub> {
  const config = options.config ?? loadHubConfig({ overrides: options.overrides ?? {} });
  const log = options.log ?? createLogger(config.logLevel);
  const db = options.db ?? connectDatabase({ databaseUrl: config.database.url, dataDir: config.dataDir, poolMax: config.database.poolMax });
  const closeDb = async () => {
    if (!options.db) await db.close();
  };
  let port: number;
  let identity: Identity;
  let hub: HubApp;
  let url: string;
  try {
    await readyDatabase(db, options, log);
    setUpAuditKeys(db.knex, config, log);
    bindEvidenceSecrets(db.knex, secretBoxFromConfig(config));
    port = await choosePort(config.http.host, config.http.port);
    url = urlFor(config.http.host, port);
    const baseUrl = config.http.publicUrl ?? url;
    identity = await startIdentity({ config, knex: db.knex, log, baseUrl, internalUrl: url, ...(options.clock ? { now: options.clock } : {}) });
    hub = createHubApp(config, db.knex, log, {
      resolvers: identity.resolvers, loadTenantRules: loadTenantPolicy, publicOrigin: new URL(baseUrl).origin,
      ...(identity.rp ? { oidcIssuer: identity.rp.config.issuer } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.ruleCatalog ? { ruleCatalog: options.ruleCatalog } : {}),
    });
  } catch (error) {
    await closeDb();
    throw error;
  }
  const handler = identity.handler(hub.app.callback());
  return {
    port, url,
    abort: closeDb,
    listen: () => listenPrepared({ config, log, db, identity, hub, url, port, handler, closeDb }),
  };
}

interface ListenInput {
  config: HubConfig;
  log: Logger;
  db: Database;
  identity: Identity;
  hub: HubApp;
  url: string;
  port: number;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  closeDb(): Promise<void>;
}

async function listenPrepared(input: ListenInput): Promise<RunningHub> {
  const { config, log, db, identity, hub, url } = input;
  const worker: RunningWorker | null = config.role === 'api' ? null : startWorker({ knex: db.knex, log, config });
  // The handler is attached before the port opens: the first connection already gets the whole app.
  const server = createServer(input.handler);
  server.requestTimeout = 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(input.port, config.http.host, () => resolve());
    });
  } catch (error) {
    await worker?.stop();
    await input.closeDb();
    throw error;
  }
  log.info({ url, database: db.kind }, 'hub listening');
  return {
    url, config, db, knex: db.knex, hub, identity, server, log,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await worker?.stop();
      await input.closeDb();
    },
  };
}

/** Opens the database, migrates, makes the time partitions, builds the app, and only then listens. */
export async function startHub(options: StartHubOptions = {}): Promise<RunningHub> {
  return (await prepareHub(options)).listen();
}

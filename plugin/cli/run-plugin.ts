import { pino, type Logger } from 'pino';
import { vigilVersion } from '../../contracts/index.js';
import { startPlugin, type RunningPlugin } from '../app.js';
import { loadPluginConfig, type PluginConfig } from '../config/index.js';
import { healthReport, startHealthServer, type HealthServer } from '../health/index.js';

const STATUS_EVERY_MS = 60_000;

async function startHealth(config: PluginConfig, plugin: RunningPlugin, logger: Logger): Promise<HealthServer | null> {
  if (config.health === undefined) return null;
  const meta = { version: vigilVersion(), startedAt: new Date() };
  const server = await startHealthServer({ host: config.health.host, port: config.health.port, report: () => healthReport(plugin.status(), meta) });
  logger.info({ url: `${server.url}/healthz` }, 'health endpoint listening');
  return server;
}

function logStatusEveryMinute(plugin: RunningPlugin, logger: Logger): NodeJS.Timeout {
  const ticker = setInterval(() => {
    const { cameras, outbox } = plugin.status();
    logger.info({ cameras: cameras.map((c) => ({ id: c.cameraId, state: c.capture?.state, fps: c.capture?.fps, ...c.pipeline })), outbox: { pending: outbox.pending, health: outbox.health, deadLettered: outbox.deadLettered, deadLetterPath: outbox.deadLetterPath } }, 'status');
  }, STATUS_EVERY_MS);
  ticker.unref();
  return ticker;
}

/**
 * `vigil plugin --config FILE`: validates the config (every problem listed, exit 1), starts the edge program (and
 * its health endpoint when configured) and runs until SIGINT/SIGTERM, then stops in order and drains the outbox.
 */
export async function runPlugin(configFile: string): Promise<void> {
  const { config, warnings, envApplied } = await loadPluginConfig(configFile);
  const logger = pino({ level: config.logLevel });
  for (const warning of warnings) logger.warn(`INSECURE OR SURPRISING SETTING: ${warning}`);
  if (envApplied.length > 0) logger.info({ overridden: envApplied }, 'configuration overridden by the environment');
  const plugin = await startPlugin(config, { logger });
  const health = await startHealth(config, plugin, logger).catch(async (error: unknown) => {
    await plugin.stop();
    throw error;
  });
  const ticker = logStatusEveryMinute(plugin, logger);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'stop requested');
      clearInterval(ticker);
      void (health?.close() ?? Promise.resolve())
        .then(() => plugin.stop())
        .then(() => resolve(), (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exitCode = 1;
          resolve();
        });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

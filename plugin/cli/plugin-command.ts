import type { Command } from 'commander';
import { pino } from 'pino';
import { startPlugin } from '../app.js';
import { loadPluginConfig } from '../config/index.js';

const STATUS_EVERY_MS = 60_000;

/**
 * `vigil plugin --config FILE`: validates the config (every problem listed, exit 1), starts the edge program and
 * runs until SIGINT/SIGTERM, then stops in order and drains the outbox for `outbox.drainTimeoutMs`.
 */
export function registerPluginCommand(program: Command): void {
  program
    .command('plugin')
    .description('run the edge plugin: cameras -> motion -> detector -> tracking -> rules -> clips -> outbox -> hub')
    .requiredOption('-c, --config <file>', 'plugin configuration file (YAML; VIGIL_* variables override it)')
    .action(async (options: { config: string }) => {
      const { config, warnings, envApplied } = await loadPluginConfig(options.config);
      const logger = pino({ level: config.logLevel });
      for (const warning of warnings) logger.warn(`INSECURE OR SURPRISING SETTING: ${warning}`);
      if (envApplied.length > 0) logger.info({ overridden: envApplied }, 'configuration overridden by the environment');
      const plugin = await startPlugin(config, { logger });
      const ticker = setInterval(() => {
        const { cameras, outbox } = plugin.status();
        logger.info({ cameras: cameras.map((c) => ({ id: c.cameraId, state: c.capture?.state, fps: c.capture?.fps, ...c.pipeline })), outbox: { pending: outbox.pending, health: outbox.health, deadLettered: outbox.deadLettered, deadLetterPath: outbox.deadLetterPath } }, 'status');
      }, STATUS_EVERY_MS);
      ticker.unref();
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          logger.info({ signal }, 'stop requested');
          clearInterval(ticker);
          void plugin.stop().then(() => resolve(), (error: unknown) => {
            logger.error({ err: error }, 'stop failed');
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}

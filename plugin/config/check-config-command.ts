import type { Command } from 'commander';
import { loadPluginConfig } from './load-plugin-config.js';

/**
 * `vigil plugin-check --config FILE`: validates a plugin config the way `vigil plugin` will at start,
 * prints every problem (exit 1, through the CLI's AppError handler) or a secret-free summary.
 */
export function registerPluginCheckCommand(program: Command): void {
  program
    .command('plugin-check')
    .description('validate a plugin configuration file (YAML + VIGIL_* environment) and list every problem')
    .requiredOption('-c, --config <file>', 'plugin configuration file (YAML)')
    .action(async (options: { config: string }) => {
      const { config, warnings, envApplied } = await loadPluginConfig(options.config);
      for (const warning of warnings) process.stderr.write(`WARNING: ${warning}\n`);
      const discovered = config.discovery?.cameras.length ?? 0;
      process.stdout.write(
        [
          `configuration OK: ${options.config}`,
          `  hub: ${new URL(config.hub.url).origin} (token set)`,
          `  cameras: ${config.cameras.length} explicit, ${discovered} by discovery${config.discovery ? '' : ' (discovery off)'}`,
          `  model: ${config.model.decoder} ${config.model.path}`,
          `  rules: ${config.rules.length}, analysis ${config.analysis.fps} fps at ${config.analysis.width}x${config.analysis.height}`,
          `  data dir: ${config.dataDir}, outbox bound ${config.outbox.maxBytes} bytes`,
          ...(envApplied.length > 0 ? [`  overridden by environment: ${envApplied.join(', ')}`] : []),
        ].join('\n') + '\n',
      );
    });
}

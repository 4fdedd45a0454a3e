import type { Command } from 'commander';
import { loadHubConfig } from '../config/index.js';

export function registerHubCommand(program: Command): void {
  program
    .command('hub')
    .description('Run the hub: API, incident workflow, audit (PGlite under VIGIL_DATA_DIR unless DATABASE_URL is set)')
    .option('-c, --config <file>', 'YAML configuration file')
    .option('-p, --port <port>', 'port to listen on (VIGIL_PORT, default 8080)')
    .option('--host <host>', 'interface to listen on (VIGIL_HOST, default 127.0.0.1)')
    .option('--role <role>', 'api, worker or all (VIGIL_ROLE, default all)')
    .action(async (opts: { config?: string; port?: string; host?: string; role?: string }) => {
      const overrides: Record<string, string> = {};
      if (opts.role) overrides.role = opts.role;
      if (opts.port) overrides.port = opts.port;
      if (opts.host) overrides.host = opts.host;
      const config = loadHubConfig({ file: opts.config, overrides });
      // Loaded on use: the server pulls in the OpenID provider and the whole API, which other commands do not need.
      const { startHub } = await import('../server.js');
      const running = await startHub({ config });
      if (config.host === '0.0.0.0' || config.host === '::') running.log.warn('listening on all interfaces');
      process.stdout.write(`vigil hub listening on ${running.url} (database: ${running.db.kind})\n`);
      const stop = async (signal: string) => {
        running.log.info({ signal }, 'stopping');
        await running.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}

import type { Command } from 'commander';
import { AppError } from '../../contracts/errors.js';
import type { RuleCatalog } from '../commands/store-rules-editor.js';

const HUB_ROLES = ['all', 'api', 'worker'] as const;

/**
 * `deps.loadRuleCatalog`: the rule types the hub checks saved store rules against (bin/command-table.ts passes the
 * plugin's), loaded when the hub starts so that `vigil hub --help` stays quick.
 */
export function registerHubCommand(program: Command, deps: { loadRuleCatalog?: () => Promise<RuleCatalog> } = {}): void {
  program
    .command('hub')
    .description('Run the hub: API, incident workflow, audit (PGlite under VIGIL_DATA_DIR unless DATABASE_URL is set)')
    .option('-c, --config <file>', 'YAML configuration file')
    .option('-p, --port <port>', 'port to listen on (VIGIL_PORT, default 8080)')
    .option('--host <host>', 'interface to listen on (VIGIL_HOST, default 127.0.0.1)')
    .option('--role <role>', 'api, worker or all (VIGIL_ROLE, default all)')
    .action(async (opts: { config?: string; port?: string; host?: string; role?: string }) => {
      const role = HUB_ROLES.find((known) => known === opts.role);
      if (opts.role && !role) throw new AppError('config_invalid', `--role must be one of ${HUB_ROLES.join(', ')}`);
      // Loaded on use, like the server below: `vigil hub --help` needs neither.
      const { loadHubConfig } = await import('../config/index.js');
      const config = loadHubConfig({
        file: opts.config,
        overrides: { ...(role ? { role } : {}), http: { ...(opts.port ? { port: opts.port } : {}), ...(opts.host ? { host: opts.host } : {}) } },
      });
      // Loaded on use: the server pulls in the OpenID provider and the whole API, which other commands do not need.
      const { startHub } = await import('../server.js');
      const ruleCatalog = await deps.loadRuleCatalog?.();
      const running = await startHub({ config, ...(ruleCatalog ? { ruleCatalog } : {}) });
      if (config.http.host === '0.0.0.0' || config.http.host === '::') running.log.warn('listening on all interfaces');
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

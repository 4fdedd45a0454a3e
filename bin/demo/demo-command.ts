import type { Command } from 'commander';
import { AppError } from '../../contracts/errors.js';

const DEFAULT_DIR = '.vigil/demo';

/**
 * `vigil demo` (what `npm start` runs): the hub with the built-in OpenID provider and its people, two simulated
 * cameras playing scripted scenes, the checkout lane's POS journal, the plugin, a Milestone Event Server stand-in
 * and a webhook receiver that verifies signatures, all on this machine. Ctrl-C stops everything.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run the whole system on this machine with simulated cameras, POS and receivers (what npm start runs)')
    .option('-p, --port <port>', 'port of the hub (default 8080; 0 picks a free one)', '8080')
    .option('--dir <dir>', `where the demo keeps its data, logs and state.json (emptied at start; default ${DEFAULT_DIR})`, DEFAULT_DIR)
    .action(async (opts: { port: string; dir: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('config_invalid', `--port must be a port number, not ${opts.port}`);
      const { runDemo } = await import('./demo-run.js');
      const demo = await runDemo({ dir: opts.dir, port, say: (line) => process.stdout.write(`${line}\n`) });
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`\n${signal}: stopping the demo…\n`);
        void demo.stop().then(() => process.exit(0), (error: unknown) => {
          process.stderr.write(`the demo did not stop cleanly: ${(error as Error).message}\n`);
          process.exit(1);
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}

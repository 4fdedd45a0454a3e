import type { Command } from 'commander';

/**
 * `vigil plugin --config FILE` runs the edge program; `vigil plugin install` makes it a systemd service and
 * `vigil plugin status` reads a running one's health endpoint. Each action's module loads only when it runs.
 */
export function registerPluginCommand(program: Command): void {
  const plugin = program
    .command('plugin')
    .description('run the edge plugin: cameras -> motion -> detector -> tracking -> rules -> clips -> outbox -> hub')
    // Not a requiredOption: commander checks those for every subcommand too (`plugin status` has no config).
    .option('-c, --config <file>', 'plugin configuration file (YAML; VIGIL_* variables override it)')
    .action(async (options: { config?: string }) => {
      const file = options.config ?? plugin.error('error: required option \'-c, --config <file>\' not specified');
      const { runPlugin } = await import('./run-plugin.js');
      await runPlugin(file);
    });
  plugin
    .command('install')
    .description('Linux: validate the config, write the systemd unit, enable and start it, print what to check')
    .requiredOption('-c, --config <file>', 'plugin configuration file (YAML) the service runs with')
    .option('--unit-dir <dir>', 'where the unit goes', '/etc/systemd/system')
    .option('--environment-file <file>', 'systemd EnvironmentFile with the secrets (VIGIL_HUB_TOKEN, …); not --env-file, which node itself reads', '/etc/vigil/plugin.env')
    .option('--user <name>', 'system user the service runs as', 'vigil')
    .option('--no-enable', 'write the unit only: no systemctl daemon-reload, no enable --now')
    .action(async (options: Record<string, unknown>) => {
      const { installPlugin } = await import('./plugin-install.js');
      for (const line of await installPlugin(options)) process.stdout.write(`${line}\n`);
    });
  plugin
    .command('status')
    .description('cameras, outbox depth, VMS adapter state and the last error, from a running plugin\'s health endpoint')
    .option('--url <url>', 'the plugin\'s health endpoint (the config\'s `health:`)', 'http://127.0.0.1:8788')
    .option('--json', 'print the report as one JSON object')
    .action(async (options: { url: string; json?: boolean }) => {
      const { fetchPluginHealth, formatPluginHealth } = await import('./plugin-status.js');
      const report = await fetchPluginHealth(options.url);
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatPluginHealth(report).join('\n')}\n`);
      if (report.status !== 'ok') process.exitCode = 2;
    });
}

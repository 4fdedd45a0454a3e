import { Command, CommanderError } from 'commander';
import { isAppError } from '../contracts/index.js';
import { registerHubCommands } from '../hub/cli/index.js';
import { registerPluginCommands } from '../plugin/cli/index.js';
import { pluginRuleCatalog } from '../plugin/rules/index.js';

export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Vigil: retail loss-prevention AI on the cameras a store already has')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  // The hub checks saved store rules with the plugin's rule registry; it never imports the plugin itself.
  registerHubCommands(program, { ruleCatalog: pluginRuleCatalog });
  registerPluginCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message = isAppError(error) ? `${error.code}: ${error.message}` : String(error instanceof Error ? error.stack : error);
    process.stderr.write(`vigil: ${message}\n`);
    process.exitCode = 1;
  }
}

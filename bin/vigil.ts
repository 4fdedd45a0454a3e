import { Command, CommanderError } from 'commander';
import { isAppError } from '../contracts/errors.js';
import { vigilVersion } from '../contracts/version.js';
import { COMMANDS, type CommandEntry } from './command-table.js';

function baseProgram(): Command {
  return new Command('vigil')
    .description('Vigil: retail loss-prevention AI on the cameras a store already has')
    .version(vigilVersion())
    .showHelpAfterError()
    // Options belong to the command they follow: `vigil plugin install --config F` is install's --config.
    .enablePositionalOptions()
    .exitOverride();
}

/** The command named first on the command line, if it is one of ours (`vigil hub --port 1` -> hub). */
function requestedCommand(argv: readonly string[]): CommandEntry | undefined {
  // `vigil help hub` shows the help of hub, so hub is loaded for it.
  const first = argv[2] === 'help' ? argv[3] : argv[2];
  return COMMANDS.find((entry) => entry.name === first);
}

/**
 * The program for this command line: the command it runs registered in full (its module imported now), every
 * other command only by name and description, enough for `vigil --help` and for "did you mean" on a typo.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = baseProgram();
  const requested = requestedCommand(argv);
  for (const entry of COMMANDS) {
    if (entry === requested) (await entry.load())(program);
    else program.command(entry.name).description(entry.description);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
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

import type { Command } from 'commander';
import { registerDetectCommand } from './detect-command.js';

/** Registers the edge program's commands; each lives in its own file beside this one. */
export function registerPluginCommands(program: Command): void {
  void program;
  registerDetectCommand(program);
}

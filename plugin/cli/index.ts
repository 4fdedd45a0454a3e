import type { Command } from 'commander';
import { registerDetectCommand } from './detect-command.js';
import { registerPluginCheckCommand } from '../config/index.js';

/** Registers the edge program's commands; each lives in its own file beside this one. */
export function registerPluginCommands(program: Command): void {
  void program;
  registerDetectCommand(program);
  registerPluginCheckCommand(program);
}

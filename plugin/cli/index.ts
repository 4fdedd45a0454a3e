import type { Command } from 'commander';
import { registerDetectCommand } from './detect-command.js';
import { registerCameraSimCommand } from './camera-sim-command.js';
import { registerDiscoverCommand } from './discover-command.js';
import { registerPluginCheckCommand } from '../config/index.js';
import { registerPluginCommand } from './plugin-command.js';
import { registerVmsCommand } from './vms-command.js';
import { registerScenesCommand } from './scenes-command.js';
import { registerEvalCommand } from './eval-command.js';

/**
 * Registers the edge program's commands; each lives in its own file beside this one. The `vigil` CLI loads them one
 * at a time through bin/command-table.ts (a command added here must be listed there too: bin/command-table.test.ts).
 */
export function registerPluginCommands(program: Command): void {
  void program;
  registerDetectCommand(program);
  registerCameraSimCommand(program);
  registerDiscoverCommand(program);
  registerPluginCheckCommand(program);
  registerPluginCommand(program);
  registerVmsCommand(program);
  registerScenesCommand(program);
  registerEvalCommand(program);
}

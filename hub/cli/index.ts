import type { Command } from 'commander';

/** Registers the hub's commands; each lives in its own file beside this one. */
export function registerHubCommands(program: Command): void {
  void program;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerHubCommands } from '../hub/cli/index.js';
import { registerPluginCommands } from '../plugin/cli/index.js';
import { COMMANDS } from './command-table.js';
import { registerDemoCommand } from './demo/demo-command.js';
import { buildProgram } from './vigil.js';

const summary = (program: Command) => program.commands.map((c) => ({ name: c.name(), description: c.description() }));

test('each command module registers the name and description the table lists for vigil --help', async () => {
  for (const entry of COMMANDS) {
    const program = new Command('vigil');
    (await entry.load())(program);
    assert.deepEqual(summary(program), [{ name: entry.name, description: entry.description }], entry.name);
  }
});

test('the table lists every command the hub, the plugin and the demo register, no more', () => {
  const program = new Command('vigil');
  registerHubCommands(program);
  registerPluginCommands(program);
  registerDemoCommand(program);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  assert.deepEqual(summary(program).sort(byName), COMMANDS.map((c) => ({ name: c.name, description: c.description })).sort(byName));
});

test('the program for a command line holds that command in full and the others by name only', async () => {
  const program = await buildProgram(['node', 'vigil', 'plugin', 'install', '--help']);
  const plugin = program.commands.find((c) => c.name() === 'plugin');
  assert.deepEqual(plugin?.commands.map((c) => c.name()), ['install', 'status']);
  const hub = program.commands.find((c) => c.name() === 'hub');
  assert.deepEqual(hub?.options, []);
  const viaHelp = await buildProgram(['node', 'vigil', 'help', 'hub']);
  assert.ok((viaHelp.commands.find((c) => c.name() === 'hub')?.options.length ?? 0) > 0, 'vigil help hub loads hub');
});

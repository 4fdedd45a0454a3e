import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { AppError, vigilPackageRoot } from '../../contracts/index.js';
import { loadPluginConfig, type PluginConfig } from '../config/index.js';
import { readEnvFile } from './env-file.js';
import { DEFAULT_UNIT_SETTINGS, renderPluginUnit, STATE_DIRECTORY, UNIT_NAME } from './systemd-unit.js';

export const installOptionsSchema = z.strictObject({
  config: z.string().min(1),
  unitDir: z.string().min(1).default('/etc/systemd/system'),
  environmentFile: z.string().min(1).default(DEFAULT_UNIT_SETTINGS.envFile),
  user: z.string().regex(/^[a-z_][a-z0-9_-]*$/, 'a system user name').default(DEFAULT_UNIT_SETTINGS.user),
  enable: z.boolean().default(true),
});
export type InstallOptions = z.output<typeof installOptionsSchema>;

async function validateConfig(configPath: string, envFile: string): Promise<{ config: PluginConfig; envFound: boolean }> {
  const fromFile = await readEnvFile(envFile);
  // The service reads its secrets from the environment file: validate with them, as the service will start.
  const { config } = await loadPluginConfig(configPath, { ...process.env, ...fromFile });
  return { config, envFound: fromFile !== undefined };
}

async function systemctl(...args: string[]): Promise<void> {
  try {
    await promisify(execFile)('systemctl', args, { timeout: 60_000 });
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr?.trim();
    throw new AppError('unavailable', `systemctl ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`, { cause });
  }
}

function checklist(options: InstallOptions, unitPath: string, config: PluginConfig, envFound: boolean): string[] {
  const lines = [`wrote ${unitPath}`];
  if (!envFound) lines.push(`WARNING: ${options.environmentFile} does not exist yet: create it (mode 0640, owner root:${options.user}) with VIGIL_HUB_TOKEN=… (deploy/plugin.env.example)`);
  if (!options.enable) lines.push(`not enabled (--no-enable): run  systemctl daemon-reload && systemctl enable --now ${UNIT_NAME}`);
  lines.push(
    'check:',
    `  id ${options.user}                       # the service user exists (useradd --system --home /var/lib/${STATE_DIRECTORY} ${options.user})`,
    `  systemctl status ${UNIT_NAME}     # active (running)`,
    `  journalctl -u ${UNIT_NAME} -f     # "health endpoint listening", cameras streaming`,
    config.health === undefined
      ? '  vigil plugin status               # needs `health: {}` in the config (local read-only endpoint): not configured'
      : `  vigil plugin status --url http://${config.health.host}:${config.health.port}`,
    `  data: /var/lib/${STATE_DIRECTORY} (VIGIL_DATA_DIR; the config's dataDir is overridden)`,
  );
  return lines;
}

/**
 * `vigil plugin install`: validates the config (with the environment file's secrets), writes the systemd unit,
 * reloads systemd and enables and starts the service (unless --no-enable), then prints what to check.
 */
export async function installPlugin(raw: unknown): Promise<string[]> {
  const parsed = installOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('bad_request', z.prettifyError(parsed.error));
  const options = parsed.data;
  if (process.platform !== 'linux') throw new AppError('bad_request', 'vigil plugin install writes a systemd unit (Linux); on Windows see docs/install.md');
  const configPath = resolve(options.config);
  const envFile = isAbsolute(options.environmentFile) ? options.environmentFile : resolve(options.environmentFile);
  const { config, envFound } = await validateConfig(configPath, envFile);
  const unit = renderPluginUnit({ nodePath: process.execPath, vigilPath: join(vigilPackageRoot(), 'bin', 'vigil.mjs'), configPath, envFile, user: options.user });
  await mkdir(options.unitDir, { recursive: true });
  const unitPath = join(options.unitDir, UNIT_NAME);
  await writeFile(unitPath, unit, { mode: 0o644 });
  if (options.enable) {
    await systemctl('daemon-reload');
    await systemctl('enable', '--now', UNIT_NAME);
  }
  return checklist({ ...options, environmentFile: envFile }, unitPath, config, envFound);
}

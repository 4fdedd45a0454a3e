import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { oidcFromEnv } from '../auth/oidc/config-schema.js';
import { webhookSectionFromEnv } from '../webhooks/webhook-config.js';
import { HUB_ENV, hubConfigSchema, type HubConfig, type HubConfigInput } from './schema.js';

export interface LoadHubConfigOptions {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  overrides?: Partial<HubConfigInput>;
}

function readYaml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AppError('config_invalid', `cannot read config file ${file}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (cause) {
    throw new AppError('config_invalid', `config file ${file} is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new AppError('config_invalid', `config file ${file} must hold a mapping`);
  return parsed as Record<string, unknown>;
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [variable, key] of Object.entries(HUB_ENV)) {
    const value = env[variable];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** Lists every problem as `path: message`, one a line. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('\n');
}

/** YAML file < VIGIL_* environment < explicit overrides. Every problem is reported at once. */
export function loadHubConfig(options: LoadHubConfigOptions = {}): HubConfig {
  const fileValues = options.file ? readYaml(options.file) : {};
  const merged: Record<string, unknown> = { ...fileValues, ...fromEnv(options.env ?? process.env), ...options.overrides };
  // The oidc section is nested: its VIGIL_OIDC_* variables override the file's keys one by one.
  const oidcEnv = oidcFromEnv(options.env ?? process.env);
  if (oidcEnv && !options.overrides?.oidc) merged.oidc = { ...(fileValues.oidc as Record<string, unknown> | undefined), ...oidcEnv };
  const webhooksEnv = webhookSectionFromEnv(options.env ?? process.env, fileValues.webhooks);
  if (webhooksEnv && !options.overrides?.webhooks) merged.webhooks = webhooksEnv;
  const result = hubConfigSchema.safeParse(merged);
  if (!result.success) {
    throw new AppError('config_invalid', `invalid hub configuration:\n${formatIssues(result.error)}`, {
      details: { issues: result.error.issues },
    });
  }
  return result.data;
}

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { oidcFromEnv } from '../auth/oidc/config-schema.js';
import { HUB_ENV, hubConfigSchema, type HubConfig, type HubConfigOverrides } from './schema.js';

export interface LoadHubConfigOptions {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  overrides?: HubConfigOverrides;
}

type Tree = Record<string, unknown>;

const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

function readYaml(file: string): Tree {
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
  if (!isTree(parsed)) throw new AppError('config_invalid', `config file ${file} must hold a mapping`);
  return parsed;
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = isTree(next) ? next : (node[key] = {});
  }
  node[keys[keys.length - 1] ?? path] = value;
}

function fromEnv(env: NodeJS.ProcessEnv): Tree {
  const out: Tree = {};
  for (const [variable, target] of Object.entries(HUB_ENV)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    if (typeof target === 'string') setPath(out, target, value);
    else setPath(out, target.path, target.parse(value));
  }
  const oidc = oidcFromEnv(env);
  if (oidc) setPath(out, 'identity.oidc', oidc);
  return out;
}

/** Later layers win key by key inside sections; arrays and scalars are replaced whole. */
export function mergeLayers(...layers: Tree[]): Tree {
  const out: Tree = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const current = out[key];
      out[key] = isTree(value) && isTree(current) ? mergeLayers(current, value) : value;
    }
  }
  return out;
}

/** Lists every problem as `path: message`, one a line. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('\n');
}

/**
 * The hub's one configuration, loaded once at start and passed down: YAML file < VIGIL_* environment <
 * explicit overrides, merged section by section. Every problem is reported at once.
 */
export function loadHubConfig(options: LoadHubConfigOptions = {}): HubConfig {
  const merged = mergeLayers(options.file ? readYaml(options.file) : {}, fromEnv(options.env ?? process.env), (options.overrides ?? {}) as Tree);
  const result = hubConfigSchema.safeParse(merged);
  if (!result.success) {
    throw new AppError('config_invalid', `invalid hub configuration:\n${formatIssues(result.error)}`, {
      details: { issues: result.error.issues },
    });
  }
  return result.data;
}

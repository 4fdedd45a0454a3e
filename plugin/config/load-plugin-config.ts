import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { AppError } from '../../contracts/index.js';
import { applyEnvOverrides } from './env-overrides.js';
import { collectSecrets, redact } from './redact.js';
import type { PluginConfig } from './schema.js';
import { pluginConfigSchema } from './schema.js';

export interface ConfigProblem {
  /** Dotted path into the config (`cameras.0.analysisUrl`), or `(file)` for YAML syntax errors. */
  readonly path: string;
  readonly message: string;
}

export interface LoadedPluginConfig {
  readonly config: PluginConfig;
  /** Insecure or surprising settings worth a loud warning at start. */
  readonly warnings: string[];
  /** The VIGIL_* variables that overrode file values. */
  readonly envApplied: string[];
}

/** Thrown with every problem of a config at once; the message lists them, one a line, secrets redacted. */
export class PluginConfigError extends AppError {
  readonly problems: ConfigProblem[];

  constructor(source: string, problems: ConfigProblem[]) {
    super('config_invalid', `invalid plugin configuration (${source}):\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`, {
      details: { problems },
    });
    this.problems = problems;
  }
}

/**
 * Parses YAML text. Syntax errors are reported by position only: the yaml package's own message quotes
 * the offending line, which may be the one holding the token.
 */
export function parseConfigYaml(text: string, source: string): Record<string, unknown> {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new PluginConfigError(
      source,
      document.errors.map((error) => {
        const at = error.linePos?.[0];
        return { path: '(file)', message: `YAML ${error.code}${at ? ` at line ${at.line}, column ${at.col}` : ''}` };
      }),
    );
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new PluginConfigError(source, [{ path: '(root)', message: 'the file must hold a mapping' }]);
  return value as Record<string, unknown>;
}

/** Validates raw values (file merged with the environment) and returns the config or every problem. */
export function validatePluginConfig(values: Record<string, unknown>, env: NodeJS.ProcessEnv, source: string): LoadedPluginConfig {
  const { values: merged, applied } = applyEnvOverrides(values, env);
  const result = pluginConfigSchema.safeParse(merged);
  if (!result.success) {
    const secrets = collectSecrets(merged);
    const problems = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: redact(issue.message, secrets),
    }));
    throw new PluginConfigError(source, problems);
  }
  return { config: result.data, warnings: warningsOf(result.data), envApplied: applied };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function warningsOf(config: PluginConfig): string[] {
  const warnings: string[] = [];
  const hub = new URL(config.hub.url);
  if (hub.protocol === 'http:' && !LOOPBACK.has(hub.hostname)) {
    warnings.push(`hub.url uses plain http to ${hub.hostname}: the API token and events cross the network unencrypted; use https`);
  }
  if (hub.username !== '' || hub.password !== '') warnings.push('hub.url carries credentials; they are ignored, the token is used');
  return warnings;
}

/** Reads `file` (YAML), applies `VIGIL_*` overrides from `env`, validates. Throws PluginConfigError listing every problem. */
export async function loadPluginConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedPluginConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new AppError('config_invalid', `cannot read config file ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  return validatePluginConfig(parseConfigYaml(text, file), env, file);
}

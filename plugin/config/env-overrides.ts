/** `VIGIL_*` variables and the config path each one overrides; numbers are converted when they look numeric. */
export const PLUGIN_ENV: Readonly<Record<string, { readonly path: readonly string[]; readonly type: 'string' | 'number' }>> = {
  VIGIL_HUB_URL: { path: ['hub', 'url'], type: 'string' },
  VIGIL_HUB_TOKEN: { path: ['hub', 'token'], type: 'string' },
  VIGIL_HUB_TIMEOUT_MS: { path: ['hub', 'timeoutMs'], type: 'number' },
  VIGIL_DATA_DIR: { path: ['dataDir'], type: 'string' },
  VIGIL_LOG_LEVEL: { path: ['logLevel'], type: 'string' },
  VIGIL_TIMEZONE: { path: ['timezone'], type: 'string' },
  VIGIL_MODEL_PATH: { path: ['model', 'path'], type: 'string' },
  VIGIL_ANALYSIS_FPS: { path: ['analysis', 'fps'], type: 'number' },
  VIGIL_OUTBOX_MAX_BYTES: { path: ['outbox', 'maxBytes'], type: 'number' },
};

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

/**
 * Applies the environment over the file's values (a deep copy; the input is not changed). A value that
 * should be a number but is not is passed through as text, so validation names the field.
 */
export function applyEnvOverrides(values: Record<string, unknown>, env: NodeJS.ProcessEnv): { values: Record<string, unknown>; applied: string[] } {
  const out = structuredClone(values);
  const applied: string[] = [];
  for (const [variable, { path, type }] of Object.entries(PLUGIN_ENV)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const value = type === 'number' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
    setPath(out, path, value);
    applied.push(variable);
  }
  return { values: out, applied };
}

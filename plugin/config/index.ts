export { DEFAULT_HEALTH_PORT, pluginConfigSchema, ruleConfigSchema } from './schema.js';
export type { PluginConfig, PluginConfigInput, RuleConfig } from './schema.js';
export { loadPluginConfig, validatePluginConfig, parseConfigYaml, PluginConfigError } from './load-plugin-config.js';
export type { ConfigProblem, LoadedPluginConfig } from './load-plugin-config.js';
export { PLUGIN_ENV, applyEnvOverrides } from './env-overrides.js';
export { registerPluginCheckCommand } from './check-config-command.js';

export { hubConfigSchema, HUB_ENV, type HubConfig, type HubConfigInput } from './schema.js';
export { loadHubConfig, formatIssues, type LoadHubConfigOptions } from './load.js';

export { hubConfigSchema, HUB_ENV, type HubConfig, type HubConfigInput, type HubConfigOverrides } from './schema.js';
export { loadHubConfig, formatIssues, mergeLayers, type LoadHubConfigOptions } from './load.js';

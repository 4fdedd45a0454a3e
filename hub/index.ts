export { prepareHub, startHub, type PreparedHub, type RunningHub, type StartHubOptions } from './server.js';
export { createHubApp, type HubApp } from './app.js';
export { loadHubConfig, hubConfigSchema, type HubConfig } from './config/index.js';
export { connectDatabase, migrateUp, migrateDown, migrationStatus, type Database } from './db/index.js';

export { healthReport, pluginHealthReportSchema } from './health-report.js';
export type { PluginHealthReport, PluginStatus } from './health-report.js';
export { startHealthServer } from './health-server.js';
export type { HealthServer, HealthServerOptions } from './health-server.js';

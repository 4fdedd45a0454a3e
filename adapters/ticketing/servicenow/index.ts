export { serviceNowConfigSchema, type ServiceNowConfig, type ServiceNowConfigInput } from './config.js';
export { createRequest, updateRequest, parseResponse, type TableApiRequest, type TableApiResult } from './table-api.js';

export { serviceNowAuthSchema, serviceNowConfigSchema, type ServiceNowConfig, type ServiceNowConfigInput } from './config.js';
export { createRequest, updateRequest, lookupRequest, parseResponse, parseLookup, type LookupResult, type TableApiRequest, type TableApiResult } from './table-api.js';

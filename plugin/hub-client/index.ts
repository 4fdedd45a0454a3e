export { HubClient } from './hub-client.js';
export type { HubClientOptions } from './hub-client.js';
export { HubClientError, parseRetryAfter } from './hub-client-error.js';
export type { HubClientErrorInit, HubFailureKind } from './hub-client-error.js';

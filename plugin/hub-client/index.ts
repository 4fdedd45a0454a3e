export { HubClient } from './hub-client.js';
export type { HubClientOptions, StoreRulesPull } from './hub-client.js';
export { hubError, hubFailureOf, isAuthFailure, isRetryable, parseRetryAfter } from './hub-client-error.js';
export type { HubFailure, HubFailureKind } from './hub-client-error.js';

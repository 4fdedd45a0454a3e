export { startDevIdp, DEV_AUDIENCE, DEV_IDP_PATH, type DevIdp } from './dev-provider.js';
export { DEMO_STORES, type DevAccount } from './accounts.js';

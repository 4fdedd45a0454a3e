export * from './ids.js';
export * from './errors.js';
export * from './events.js';
export type * from './capabilities.js';
export * from './incidents.js';
export * from './time.js';
export * from './evidence-wire.js';
export * from './pos-events.js';

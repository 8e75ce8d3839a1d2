export * from './health.tokens.js';
export * from './health.module.js';
export * from './metrics.js';

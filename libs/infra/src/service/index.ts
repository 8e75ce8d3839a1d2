export * from './core.module.js';
export * from './run-service.js';

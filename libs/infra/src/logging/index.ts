export * from './logger.js';
export type { Logger } from 'pino';
export * from './logger.tokens.js';

export * from './bar.js';
export * from './bar-import.types.js';
export * from './timeframe.js';
export * from './trading-sessions.js';

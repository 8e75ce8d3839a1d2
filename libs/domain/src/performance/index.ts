export * from './trade-statistics.js';
export * from './drawdown.js';
export * from './returns.js';

export * from './backtest.types.js';
export * from './fill-model.js';
export * from './backtester.js';
export * from './backtest-report.js';
export * from './simulator-fill-model.js';
export * from './simulator-portfolio.js';

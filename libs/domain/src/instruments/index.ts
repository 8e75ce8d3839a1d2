export * from './instrument-spec.js';
export * from './catalogue.js';
export * from './instrument-math.js';
export type { TradingSessions, SessionWindow } from '../market/trading-sessions.js';

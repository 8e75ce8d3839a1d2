export * from './instrument-spec.js';
export type { TradingSessions, SessionWindow } from '../market/trading-sessions.js';

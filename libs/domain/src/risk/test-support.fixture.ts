import { EURUSD, USDJPY, XAUUSD } from '../positions/test-instruments.fixture.js';
import { defaultBreakerConfig, type BreakerConfig } from './breakers/breaker-config.js';
import type { AccountFacts, RiskContext, RiskIntent } from './order-intent.types.js';
import { defaultRiskConfig, type RiskConfig } from './risk-config.js';
import type { RiskInstrument } from './risk-instrument.types.js';
import { initialRiskState, reduceRiskState } from './risk-state.js';
import type { AccountRiskState, RiskEvent, RiskInput } from './risk-state.types.js';

/** Specs as a demo MT5 broker reports them (USD account). */
export const EURUSD_SPEC: RiskInstrument = {
  ...EURUSD, venue: 'demo', volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01, stopsLevel: 10, tradeMode: 'FULL',
};
export const USDJPY_SPEC: RiskInstrument = {
  ...USDJPY, venue: 'demo', volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01, stopsLevel: 10, tradeMode: 'FULL',
};
export const XAUUSD_SPEC: RiskInstrument = {
  ...XAUUSD, venue: 'demo', volumeMin: 0.01, volumeMax: 50, volumeStep: 0.01, stopsLevel: 20, tradeMode: 'FULL',
};

/** Monday 2024-03-04 09:00 UTC: inside the London session, mid broker day. */
export const T0 = Date.UTC(2024, 2, 4, 9, 0, 0);
export const MINUTE = 60_000;
export const ACCOUNT = 'ACC-1';

export const testConfig: RiskConfig = { ...defaultRiskConfig, riskPercentPerTrade: 1, maxLotsPerOrder: 2 };
export const testBreakers: BreakerConfig = defaultBreakerConfig;

export function accountFacts(overrides: Partial<AccountFacts> = {}): AccountFacts {
  return {
    currency: 'USD', balance: 10_000, equity: 10_000, margin: 0, freeMargin: 10_000, leverage: 100, marginMode: 'HEDGING', time: T0,
    ...overrides,
  };
}

/** A buy signal on EURUSD without a volume: entry at the ask 1.10010, stop 200 points below. */
export function signalIntent(overrides: Partial<RiskIntent> = {}): RiskIntent {
  return {
    intentId: 'sig-1', source: 'SIGNAL', strategyId: 'sma-cross-eurusd', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET',
    volume: null, price: null, stopLoss: 1.0981, takeProfit: null, closesPositionId: null,
    ...overrides,
  };
}

/** A context in which `signalIntent()` passes every check: fresh quote (1 pip spread), 10 000 USD equity, ACTIVE. */
export function riskContext(overrides: Partial<RiskContext> = {}): RiskContext {
  return {
    now: T0,
    account: accountFacts(),
    instruments: { EURUSD: EURUSD_SPEC, USDJPY: USDJPY_SPEC, XAUUSD: XAUUSD_SPEC },
    quotes: {
      EURUSD: { bid: 1.1, ask: 1.1001, time: T0 - 1000 },
      USDJPY: { bid: 150, ask: 150.01, time: T0 - 1000 },
      XAUUSD: { bid: 2000, ask: 2000.3, time: T0 - 1000 },
    },
    sessionOpen: true,
    positions: [],
    riskState: initialRiskState(ACCOUNT, T0 - 60 * MINUTE),
    previousDecisionId: null,
    rateLimit: { allowed: true, retryAfterMs: 0 },
    ...overrides,
  };
}

export const admin = { kind: 'ADMIN', id: 'alice' } as const;
export const operator = { kind: 'OPERATOR', id: 'bob' } as const;

/** Feeds inputs in order; throws on a refusal (use `reduceRiskState` directly to test one). */
export function feed(
  state: AccountRiskState,
  inputs: readonly RiskInput[],
  config: BreakerConfig = testBreakers,
): { state: AccountRiskState; events: RiskEvent[] } {
  const events: RiskEvent[] = [];
  for (const input of inputs) {
    const reduction = reduceRiskState(state, input, config);
    if (reduction.kind === 'refused') throw new Error(`${input.type} refused: ${reduction.code} ${reduction.message}`);
    state = reduction.state;
    events.push(...reduction.events);
  }
  return { state, events };
}

/** The events reduced to what a reader checks first: type, breaker or states, and who. */
export function eventSummary(events: readonly RiskEvent[]): string[] {
  return events.map((event) => {
    switch (event.type) {
      case 'BREAKER_CHANGED':
        return `${event.breaker}${event.strategyId ? `(${event.strategyId})` : ''} ${event.previousState}->${event.state}`;
      case 'TRADING_STATE_CHANGED':
        return `state ${event.from}->${event.to} by ${event.by}`;
      case 'FLATTEN_ALL_REQUESTED':
        return `flatten all by ${event.by}`;
    }
  });
}

import { describe, expect, it } from '@jest/globals';
import { defaultBreakerConfig, defaultRiskConfig } from '@mt5/domain/risk';
import { loadServiceConfig, toBreakerConfig, toRiskConfig } from './config.js';

describe('risk-guard configuration', () => {
  it('passes validation with no variables set, and its defaults are the domain defaults', () => {
    const config = loadServiceConfig({});
    expect(config.ACCOUNT_ID).toBe('paper-1');
    expect(toRiskConfig(config)).toEqual({ ...defaultRiskConfig, maxQuoteAgeMs: 10_000, maxAccountSnapshotAgeMs: 60_000 });
    expect(toBreakerConfig(config)).toEqual(defaultBreakerConfig);
  });

  it('reads limits, per-symbol and per-currency maps and the broker-day start', () => {
    const config = loadServiceConfig({
      MAX_SPREAD_POINTS_BY_SYMBOL: 'XAUUSD:50, BTCUSDT:2000', CURRENCY_EXPOSURE_LIMITS: 'JPY:50000', BROKER_DAY_START_UTC: '21:00',
      DAILY_LOSS_AMOUNT: '250', DAILY_LOSS_ACTION: 'REDUCING', ALLOW_ORDERS_WITHOUT_STOP: 'true', STALE_QUOTE_SECONDS: '2.5',
    });
    expect(toRiskConfig(config)).toMatchObject({
      maxSpreadPointsBySymbol: { XAUUSD: 50, BTCUSDT: 2000 }, currencyExposureLimits: { JPY: 50_000 }, allowNoStopLoss: true, maxQuoteAgeMs: 2_500,
    });
    expect(toBreakerConfig(config).dailyLoss).toEqual({ limitPercent: 5, limitAmount: 250, action: 'REDUCING', dayStartMinuteUtc: 21 * 60 });
  });

  it('reports every invalid variable at once', () => {
    expect(() => loadServiceConfig({ RISK_PERCENT_PER_TRADE: '0', BROKER_DAY_START_UTC: '25:00', MAX_SPREAD_POINTS_BY_SYMBOL: 'XAUUSD=50', ACCOUNT_ID: 'paper 1' }))
      .toThrow(/4 problems[\s\S]*ACCOUNT_ID[\s\S]*RISK_PERCENT_PER_TRADE[\s\S]*MAX_SPREAD_POINTS_BY_SYMBOL: MAX_SPREAD_POINTS_BY_SYMBOL: "XAUUSD=50" is not KEY:positive-number[\s\S]*BROKER_DAY_START_UTC: must be HH:MM \(UTC\)/);
  });
});

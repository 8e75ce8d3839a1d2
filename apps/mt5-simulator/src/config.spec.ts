import { describe, expect, it } from '@jest/globals';
import { loadServiceConfig } from './config.js';

describe('mt5-simulator configuration', () => {
  it('passes validation with no variables set: replay feed, hedging USD 10 000 at 1:100, no faults', () => {
    const config = loadServiceConfig({});
    expect(config).toMatchObject({
      SIM_FEED: 'replay', SIM_MARGIN_MODE: 'HEDGING', SIM_BALANCE: 10_000, SIM_LEVERAGE: 100, SIM_CURRENCY: 'USD', SIM_FAULTS: [],
      SIM_SYMBOLS: 'EURUSD,GBPUSD,USDJPY,XAUUSD,BTCUSDT', BRIDGE_PORT: 5555, ACCOUNT_ID: 'paper-1',
    });
    expect(config.SIM_SPEED).toBeUndefined();
  });

  it('reads fault rules from SIM_FAULTS with their defaults filled in', () => {
    const config = loadServiceConfig({ SIM_FAULTS: '[{"kind":"requote","times":3},{"kind":"timeout"}]' });
    expect(config.SIM_FAULTS).toEqual([{ kind: 'requote', times: 3 }, { kind: 'timeout', mode: 'reply', executed: true, times: 1 }]);
  });

  it('reports every problem at once: bad JSON faults, an unknown feed and a short secret', () => {
    expect(() => loadServiceConfig({ SIM_FAULTS: '[{"kind":', SIM_FEED: 'dice', BRIDGE_SHARED_SECRET: 'short' })).toThrow(
      /3 problems[\s\S]*BRIDGE_SHARED_SECRET: at least 16 characters[\s\S]*SIM_FEED[\s\S]*SIM_FAULTS: not JSON/,
    );
    expect(() => loadServiceConfig({ SIM_FAULTS: '[{"kind":"meteor"}]' })).toThrow(/SIM_FAULTS: 0.kind/);
  });
});

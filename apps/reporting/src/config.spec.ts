import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@mt5/infra/config';
import { loadServiceConfig } from './config.js';

describe('reporting configuration', () => {
  it('has defaults that pass validation', () => {
    const config = loadServiceConfig({});
    expect(config.REPORTING_STRATEGY_MAGICS.size).toBe(0);
    expect(config.REPORTING_SNAPSHOT_INTERVAL_SECONDS).toBe(60);
  });

  it('reads the strategy of each magic and the digits of each symbol', () => {
    const config = loadServiceConfig({ REPORTING_STRATEGY_MAGICS: '770001=ma-cross, 770002=donchian', REPORTING_SYMBOL_DIGITS: 'US30=1' });
    expect([...config.REPORTING_STRATEGY_MAGICS]).toEqual([[770001, 'ma-cross'], [770002, 'donchian']]);
    expect(config.REPORTING_SYMBOL_DIGITS.get('US30')).toBe(1);
  });

  it('reports every malformed entry at once', () => {
    let error: unknown;
    try {
      loadServiceConfig({ REPORTING_STRATEGY_MAGICS: 'ma-cross,7=', REPORTING_SNAPSHOT_INTERVAL_SECONDS: '1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'REPORTING_STRATEGY_MAGICS: "ma-cross" is not <magic>=<strategyId>',
      'REPORTING_STRATEGY_MAGICS: "7=" is not <magic>=<strategyId>',
      expect.stringMatching(/^REPORTING_SNAPSHOT_INTERVAL_SECONDS: /),
    ]);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { CheckResult } from '../check-result.js';
import { EURUSD_SPEC, T0, accountFacts } from '../test-support.fixture.js';
import { accountSnapshotCheck, quoteFreshnessCheck, spreadCheck } from './market-data.check.js';

const message = (result: CheckResult) => (result.kind === 'deny' ? result.message : 'allow');

describe('quoteFreshnessCheck', () => {
  it('denies a quote older than the limit and allows one exactly at it', () => {
    expect(message(quoteFreshnessCheck('EURUSD', { bid: 1.1, ask: 1.1001, time: T0 - 10_001 }, T0, 10_000))).toBe(
      'RISK.STALE_MARKET_DATA: symbol=EURUSD, ageMs=10001, maxAgeMs=10000',
    );
    expect(message(quoteFreshnessCheck('EURUSD', { bid: 1.1, ask: 1.1001, time: T0 - 10_000 }, T0, 10_000))).toBe('allow');
  });

  it('denies when there is no quote at all', () => {
    expect(message(quoteFreshnessCheck('EURUSD', undefined, T0, 10_000))).toBe('RISK.STALE_MARKET_DATA: symbol=EURUSD, ageMs=none, maxAgeMs=10000');
  });
});

describe('spreadCheck', () => {
  it('denies a spread wider than the limit in points and allows one equal to it', () => {
    expect(message(spreadCheck(EURUSD_SPEC, { bid: 1.1, ask: 1.10031, time: T0 }, 30))).toBe('RISK.SPREAD_TOO_WIDE: symbol=EURUSD, spread=31, max=30');
    expect(message(spreadCheck(EURUSD_SPEC, { bid: 1.1, ask: 1.1003, time: T0 }, 30))).toBe('allow');
  });
});

describe('accountSnapshotCheck', () => {
  it('denies without a snapshot or with an old one', () => {
    expect(message(accountSnapshotCheck(null, T0, 60_000))).toBe('RISK.NO_ACCOUNT_SNAPSHOT: ageMs=none, maxAgeMs=60000');
    expect(message(accountSnapshotCheck(accountFacts({ time: T0 - 60_001 }), T0, 60_000))).toBe('RISK.NO_ACCOUNT_SNAPSHOT: ageMs=60001, maxAgeMs=60000');
    expect(message(accountSnapshotCheck(accountFacts({ time: T0 - 60_000 }), T0, 60_000))).toBe('allow');
  });
});

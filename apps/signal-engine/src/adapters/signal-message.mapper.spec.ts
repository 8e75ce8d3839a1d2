import { describe, expect, it } from '@jest/globals';
import { signalEnvelopeSchema } from '@mt5/contracts';
import type { StrategySignal } from '@mt5/domain/strategies';
import { barMessage, eurusdBars } from '../testing/engine-fakes.fixture.js';
import { barFromMessage, computedPrice, signalMessage } from './signal-message.mapper.js';

const bar = eurusdBars(1)[0]!;
const message = barMessage(bar);
const origin = { closeText: message.data.close, closeTime: message.data.closeTime, cause: message };
// First bar of EURUSD_M1.mt5-export.csv: 2022-01-04 18:00:00, 1.12834 1.1284 1.12834 1.12838, volume 24.
const signal: StrategySignal = {
  signalId: 'sig-ma-10-30-EURUSD-M1-1641319200000', strategyId: 'ma-10-30', strategyKind: 'ma-crossover', venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1',
  side: 'SELL', strength: 0.25, reason: 'fast SMA(10) crossed below slow SMA(30)', barOpenTime: bar.openTime, price: 1.12838,
  stopLoss: 1.12838 + 2 * 0.000123456789, takeProfit: 1.12838 - 3 * 0.000123456789, atr: 0.000123456789,
};

describe('signal messages', () => {
  it('reads the bar of a message as the numbers its decimal strings name', () => {
    expect(barFromMessage(message.data)).toEqual({
      venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1', openTime: Date.UTC(2022, 0, 4, 18), open: 1.12834, high: 1.1284, low: 1.12834, close: 1.12838, tickVolume: 24,
    });
  });

  it('makes a contract-valid envelope: id = signal id, caused by the bar, bar close as price, computed prices to 10 decimals', () => {
    const { subject, envelope } = signalMessage(signal, origin, new Date(Date.UTC(2026, 0, 1)));
    expect(signalEnvelopeSchema.parse(envelope)).toEqual(envelope);
    expect(subject).toBe('sig.evt.ma-10-30.EURUSD');
    expect(envelope).toMatchObject({ id: signal.signalId, causationId: message.id, correlationId: message.correlationId, tsEvent: '2022-01-04T18:01:00.000Z' });
    expect(envelope.data).toMatchObject({ barTime: '2022-01-04T18:00:00.000Z', price: '1.12838', stopLoss: '1.1286269136', takeProfit: '1.1280096296', atr: '0.0001234568' });
  });

  it('writes computed prices without trailing zeros', () => {
    expect([computedPrice(1.5), computedPrice(110.123), computedPrice(0.00001), computedPrice(2)]).toEqual(['1.5', '110.123', '0.00001', '2']);
  });

  it('refuses a signal whose stop is below zero (it breaks the contract)', () => {
    expect(() => signalMessage({ ...signal, side: 'BUY', stopLoss: -0.5 }, origin, new Date(0))).toThrow(/stopLoss/);
  });
});

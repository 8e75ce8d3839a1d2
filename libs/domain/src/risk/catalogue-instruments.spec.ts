import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { catalogueV1Url, findInstrument, loadCatalogue } from '../instruments/catalogue.js';
import { isInSession } from '../instruments/instrument-math.js';
import type { InstrumentSpec } from '../instruments/instrument-spec.js';
import { evaluateOrder } from './evaluate-order.js';
import { sizeByRisk } from './sizing.js';
import { accountFacts, riskContext, signalIntent, testConfig } from './test-support.fixture.js';

const loaded = loadCatalogue(JSON.parse(readFileSync(catalogueV1Url, 'utf8')) as unknown);
function spec(venue: string, symbol: string): InstrumentSpec {
  const found = loaded.ok ? findInstrument(loaded.catalogue, venue, symbol) : undefined;
  if (!found) throw new Error(`catalogue has no ${venue}/${symbol}`);
  return found;
}

describe('risk with the shipped instrument catalogue', () => {
  it('sizes USDJPY from a catalogue spec, converting the stop at its own rate', () => {
    // 1% of 10 000 over a 0.500 JPY stop at 149.5: 100 / (100 000 * 0.5 / 149.5) = 0.299 lot.
    const sized = sizeByRisk({
      instrument: spec('mt5-demo', 'USDJPY'), accountCurrency: 'USD', equity: 10_000, riskPercent: 1,
      side: 'BUY', entryPrice: 150, stopLoss: 149.5, maxLots: 2,
    });
    expect(sized).toMatchObject({ kind: 'sized', volume: 0.29 });
  });

  it("denies an EURUSD order on a Saturday by the catalogue's session calendar and allows it on a Monday", () => {
    const eurusd = spec('mt5-demo', 'EURUSD');
    const saturday = Date.UTC(2024, 2, 9, 12, 0, 0);
    const monday = Date.UTC(2024, 2, 4, 9, 0, 0);
    const context = (now: number) =>
      riskContext({ now, instruments: { EURUSD: eurusd }, sessionOpen: isInSession(eurusd, now), quotes: { EURUSD: { bid: 1.1, ask: 1.1001, time: now } }, account: accountFacts({ time: now }) });
    const closed = evaluateOrder(signalIntent(), context(saturday), testConfig);
    expect(closed.kind === 'deny' && closed.message).toBe('RISK.MARKET_CLOSED: symbol=EURUSD, session=closed, time=2024-03-09T12:00:00.000Z');
    expect(evaluateOrder(signalIntent(), context(monday), testConfig)).toMatchObject({ kind: 'allow', volume: 0.5 });
  });
});

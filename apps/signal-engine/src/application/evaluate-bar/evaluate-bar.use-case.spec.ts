import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Signal } from '@mt5/contracts';
import type { ImportedBar } from '@mt5/domain/market';
import { buildStrategy, completeSignal } from '@mt5/domain/strategies';
import { computedPrice } from '../../adapters/signal-message.mapper.js';
import {
  barMessage, engineOver, eurusdBars, maCrossoverConfig, MemoryBarHistory, MemoryConfigStore, MemorySignalStore,
} from '../../testing/engine-fakes.fixture.js';

// The engine against in-memory stores, on 3,000 real EURUSD M1 bars. The reference is the
// strategy instance run directly over the same bars: what the backtester trades.
const BARS = eurusdBars(3_000);

/** The signals of ma-crossover(10, 30) run straight over `bars`, in wire form. */
function direct(bars: readonly ImportedBar[]): Pick<Signal, 'signalId' | 'side' | 'barTime' | 'stopLoss' | 'takeProfit'>[] {
  const built = buildStrategy('ma-crossover', { fast: 10, slow: 30 });
  if (!built.ok) throw new Error(built.problems.join('; '));
  return bars.flatMap((bar) => {
    const draft = built.instance.onBar(bar);
    if (!draft) return [];
    const signal = completeSignal(draft, { strategyId: 'ma-10-30', strategyKind: 'ma-crossover', venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1' });
    return [{ signalId: signal.signalId, side: signal.side, barTime: new Date(signal.barOpenTime).toISOString(), stopLoss: computedPrice(signal.stopLoss), takeProfit: computedPrice(signal.takeProfit!) }];
  });
}

let stores: { configs: MemoryConfigStore; history: MemoryBarHistory; signals: MemorySignalStore };

function stored(): ReturnType<typeof direct> {
  return [...stores.signals.signals.values()]
    .map(({ envelope: { data } }) => ({ signalId: data.signalId, side: data.side, barTime: data.barTime, stopLoss: data.stopLoss, takeProfit: data.takeProfit }))
    .sort((a, b) => a.barTime.localeCompare(b.barTime));
}

/** Market-data's order: store the bar, then publish it; the engine handles the message. */
async function deliver(engine: ReturnType<typeof engineOver>, bars: readonly ImportedBar[]): Promise<number> {
  let published = 0;
  for (const bar of bars) {
    stores.history.store(bar);
    published += (await engine.evaluate.execute(barMessage(bar))).signals.length;
  }
  return published;
}

beforeEach(async () => {
  stores = { configs: new MemoryConfigStore(), history: new MemoryBarHistory(), signals: new MemorySignalStore() };
  await stores.configs.upsert('ma-10-30', maCrossoverConfig());
});

describe('evaluating closed bars', () => {
  it('emits, signal for signal, what the strategy gives when run straight over the same bars', async () => {
    const engine = engineOver(stores);
    await engine.runtime.loadAll();
    const published = await deliver(engine, BARS);
    const expected = direct(BARS);
    expect(expected.length).toBeGreaterThan(50);
    expect(stored()).toEqual(expected);
    expect(published).toBe(expected.length);
  });

  it('ignores a bar delivered twice and a bar older than the last one: no signal, no change to what follows', async () => {
    const engine = engineOver(stores);
    await engine.runtime.loadAll();
    await deliver(engine, BARS.slice(0, 1_500));
    const signalBar = BARS.findLast((bar, index) => index < 1_500 && stored().some((s) => s.barTime === new Date(bar.openTime).toISOString()))!;
    const again = await engine.evaluate.execute(barMessage(signalBar, ':replayed'));
    const older = await engine.evaluate.execute(barMessage(BARS[700]!));
    expect(again).toEqual({ evaluatedBars: 0, evaluated: 0, skipped: 1, signals: [] });
    expect(older).toEqual({ evaluatedBars: 0, evaluated: 0, skipped: 1, signals: [] });
    await deliver(engine, BARS.slice(1_500));
    expect(stored()).toEqual(direct(BARS));
  });

  it('continues after a restart from the stored bars with the same signals, and does not repeat the ones already made', async () => {
    const first = engineOver(stores);
    await first.runtime.loadAll();
    await deliver(first, BARS.slice(0, 1_800));
    const second = engineOver(stores);
    await second.runtime.loadAll();
    // The broker redelivers what the first instance had not acked, then the stream goes on.
    const redelivered = await deliver(second, BARS.slice(1_790, 1_800));
    await deliver(second, BARS.slice(1_800));
    expect(redelivered).toBe(0);
    expect(stored()).toEqual(direct(BARS));
  });

  it('after a restart, evaluates from storage, in order, the bars the broker hands back after later ones; the late copies change nothing', async () => {
    const first = engineOver(stores);
    await first.runtime.loadAll();
    await deliver(first, BARS.slice(0, 1_800));
    // The stopped instance had 64 more bars buffered (stored, never evaluated); the broker hands
    // them back with a delay, and the new instance gets the bar after them first.
    stores.history.store(...BARS.slice(1_800, 1_864));
    const second = engineOver(stores);
    await second.runtime.loadAll();
    stores.history.store(BARS[1_864]!);
    const ahead = await second.evaluate.execute(barMessage(BARS[1_864]!));
    expect(ahead).toMatchObject({ evaluatedBars: 65, evaluated: 1 });
    const late = await deliver(second, BARS.slice(1_800, 1_864));
    expect(late).toBe(0);
    await deliver(second, BARS.slice(1_865));
    expect(stored()).toEqual(direct(BARS));
  });

  it('resumes at the bar it is given when more bars are missing than it may catch up on', async () => {
    const first = engineOver(stores);
    await first.runtime.loadAll();
    await deliver(first, BARS.slice(0, 1_000));
    stores.history.store(...BARS.slice(1_000, 1_100));
    const second = engineOver(stores, { catchUpMaxBars: 50 });
    await second.runtime.loadAll();
    stores.history.store(BARS[1_100]!);
    expect(await second.evaluate.execute(barMessage(BARS[1_100]!))).toMatchObject({ evaluatedBars: 1, evaluated: 1 });
    expect(await stores.signals.lastProcessed('ma-10-30', BARS[0]!)).toBe(BARS[1_100]!.openTime);
  });

  it('evaluates a bar again after its commit failed, from an instance re-warmed to just before it', async () => {
    const engine = engineOver(stores);
    await engine.runtime.loadAll();
    await deliver(engine, BARS.slice(0, 1_000));
    const signalAt = direct(BARS).find((signal) => signal.barTime > new Date(BARS[1_000]!.openTime).toISOString())!;
    const index = BARS.findIndex((bar) => new Date(bar.openTime).toISOString() === signalAt.barTime);
    await deliver(engine, BARS.slice(1_000, index));
    stores.history.store(BARS[index]!);
    stores.signals.failNextCommit = true;
    await expect(engine.evaluate.execute(barMessage(BARS[index]!))).rejects.toThrow('connection terminated');
    expect(stores.signals.signals.has(signalAt.signalId)).toBe(false);
    const redelivery = await engine.evaluate.execute(barMessage(BARS[index]!));
    expect(redelivery.signals.map((signal) => signal.envelope.id)).toEqual([signalAt.signalId]);
    await deliver(engine, BARS.slice(index + 1));
    expect(stored()).toEqual(direct(BARS));
  });

  it('retries a commit that failed for a lost connection in place, and the bar gives its signal once', async () => {
    const engine = engineOver(stores, { retryDelaysMs: [1, 1] });
    await engine.runtime.loadAll();
    const firstSignal = direct(BARS)[0]!;
    const index = BARS.findIndex((bar) => new Date(bar.openTime).toISOString() === firstSignal.barTime);
    await deliver(engine, BARS.slice(0, index));
    stores.history.store(BARS[index]!);
    stores.signals.failNextCommit = true;
    let keptAlive = 0;
    const outcome = await engine.evaluate.execute(barMessage(BARS[index]!), { keepAlive: () => keptAlive++ });
    expect(outcome.signals.map((signal) => signal.envelope.id)).toEqual([firstSignal.signalId]);
    expect(keptAlive).toBe(1);
  });

  it('evaluates a replay of stored history from the bars before it, though the warm-up read newer ones', async () => {
    stores.history.store(...BARS);
    const engine = engineOver(stores);
    await engine.runtime.loadAll();
    expect(engine.runtime.status(maCrossoverConfig()).symbols?.[0]?.lastBarTime).toBe(new Date(BARS.at(-1)!.openTime).toISOString());
    await deliver(engine, BARS);
    expect(stored()).toEqual(direct(BARS));
  });

  it('re-warms a strategy that missed stored bars (enabled later) before it evaluates the next one', async () => {
    await stores.configs.update('ma-10-30', { enabled: false });
    const engine = engineOver(stores);
    await engine.runtime.loadAll();
    await deliver(engine, BARS.slice(0, 1_000));
    expect(stores.signals.signals.size).toBe(0);
    await stores.configs.update('ma-10-30', { enabled: true });
    await engine.runtime.strategyChanged('ma-10-30');
    // Bars stored while the reload ran, delivered before the engine saw them in its warm-up.
    stores.history.store(...BARS.slice(1_000, 1_005));
    await deliver(engine, BARS.slice(1_005));
    const after = direct(BARS).filter((signal) => signal.barTime >= new Date(BARS[1_005]!.openTime).toISOString());
    expect(stored()).toEqual(after);
  });

  it('does not evaluate the bars of a pause when a strategy that ran before is enabled again', async () => {
    const engine = engineOver(stores);
    await engine.runtime.loadAll();
    await deliver(engine, BARS.slice(0, 1_000));
    await stores.configs.update('ma-10-30', { enabled: false });
    await engine.runtime.strategyChanged('ma-10-30');
    await deliver(engine, BARS.slice(1_000, 2_000));
    await stores.configs.update('ma-10-30', { enabled: true });
    await engine.runtime.strategyChanged('ma-10-30');
    await deliver(engine, BARS.slice(2_000));
    const paused = (signal: { barTime: string }) =>
      signal.barTime >= new Date(BARS[1_000]!.openTime).toISOString() && signal.barTime < new Date(BARS[2_000]!.openTime).toISOString();
    expect(direct(BARS).some(paused)).toBe(true);
    expect(stored()).toEqual(direct(BARS).filter((signal) => !paused(signal)));
  });

  it('leaves a bar of another series or of a disabled strategy alone', async () => {
    const engine = engineOver(stores);
    await engine.runtime.loadAll();
    const gbp = { ...BARS[0]!, symbol: 'GBPUSD' };
    expect(await engine.evaluate.execute(barMessage(gbp))).toEqual({ evaluatedBars: 0, evaluated: 0, skipped: 0, signals: [] });
    await stores.configs.update('ma-10-30', { enabled: false });
    await engine.runtime.strategyChanged('ma-10-30');
    expect(await deliver(engine, BARS.slice(0, 500))).toBe(0);
    expect(stores.signals.processed.size).toBe(0);
  });
});

import type { SimBar } from '../broker/sim-broker.js';
import type { SimSymbol } from '../broker/sim-symbols.js';
import type { TimedBar } from './replay-timeline.js';

/** Mulberry32: a small, fast, seeded PRNG; uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Starting price and the standard deviation of one step (a quarter of a minute), in points. */
const WALKS: Readonly<Record<string, { start: number; stepPoints: number }>> = {
  EURUSD: { start: 1.1, stepPoints: 6 },
  GBPUSD: { start: 1.27, stepPoints: 8 },
  USDJPY: { start: 150, stepPoints: 6 },
  XAUUSD: { start: 2300, stepPoints: 40 },
  BTCUSDT: { start: 60_000, stepPoints: 2000 },
};

/**
 * Endless synthetic M1 bars for every symbol, minute after minute from `startTime` (aligned down
 * to the minute): each bar is four steps of a seeded random walk (open = previous close), so the
 * same seed always gives the same prices. Symbols without a preset start at 100 with 10-point steps.
 */
export function* randomWalkBars(symbols: readonly SimSymbol[], seed: number, startTime: number): Generator<TimedBar> {
  const walkers = symbols.map((symbol, index) => {
    const preset = WALKS[symbol.symbol] ?? { start: 100, stepPoints: 10 };
    return { symbol, random: mulberry32(seed * 7919 + index), price: preset.start, step: preset.stepPoints * symbol.point };
  });
  for (let time = Math.floor(startTime / 60_000) * 60_000; ; time += 60_000) {
    for (const walker of walkers) {
      const round = (price: number) => Number(Math.max(price, walker.symbol.point).toFixed(walker.symbol.digits));
      const path = [round(walker.price)];
      for (let i = 0; i < 3; i++) {
        // Irwin–Hall with three uniforms: mean 0, variance 1 after scaling; close enough to normal.
        const gaussian = (walker.random() + walker.random() + walker.random() - 1.5) * 2;
        path.push(round(path[path.length - 1]! + gaussian * walker.step));
      }
      walker.price = path[3]!;
      const bar: SimBar = { time, open: path[0]!, high: Math.max(...path), low: Math.min(...path), close: path[3]!, tickVolume: 4 };
      yield { symbol: walker.symbol.symbol, bar };
    }
  }
}

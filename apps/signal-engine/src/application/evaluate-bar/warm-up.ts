import type { BarHistory, StoredBar } from '../ports.js';
import type { StrategySlot } from './strategy-slot.js';

/** Largest phase modulus worth aligning to; beyond it the warm-up would read too many extra bars. */
const MAX_PHASE = 10_000;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * The phase modulus of a strategy's windowed indicators: the least common multiple of the
 * integer parameters (the window lengths are among them), 1 when that exceeds {@link MAX_PHASE}.
 *
 * Why: a windowed average keeps a running sum that it recomputes from the window once per turn
 * of its ring, so its last bits depend on how many bars it was fed, modulo its length. Warming
 * from a bar whose index in the stored series is a multiple of every window length gives the
 * same bits as a run from the first stored bar (the backtester's run): exact ties between two
 * averages (fast = slow) then fall the same way after a restart.
 */
export function phaseModulus(params: Readonly<Record<string, unknown>>): number {
  let modulus = 1;
  for (const value of Object.values(params)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 2) continue;
    modulus = (modulus / gcd(modulus, value)) * value;
    if (modulus > MAX_PHASE) return 1;
  }
  return modulus;
}

/**
 * The stored bars to warm a slot with, up to a bound: at least the slot's warm-up count, starting
 * at a series index that is a multiple of its phase modulus (see {@link phaseModulus}).
 */
export async function warmUpBars(history: BarHistory, slot: StrategySlot, bound: { readonly atOrBefore?: number; readonly before?: number }): Promise<StoredBar[]> {
  const available = await history.countBars(slot.key, bound);
  const start = Math.max(0, available - slot.warmUpCount);
  const aligned = start - (start % slot.phase);
  return history.lastBars(slot.key, available - aligned, bound);
}

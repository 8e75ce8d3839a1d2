import type { Side } from '@mt5/contracts';
import { priceProfit } from '../positions/profit.js';
import { floorToStep } from '../positions/volume-math.js';
import { deny, type Deny } from './check-result.js';
import { formatMoney, formatPrice, formatVolume } from './format.js';
import type { RiskInstrument } from './risk-instrument.types.js';

export interface SizingInput {
  readonly instrument: RiskInstrument;
  readonly accountCurrency: string;
  readonly equity: number;
  /** Percent of equity to lose at the stop (1 = 1%). */
  readonly riskPercent: number;
  readonly side: Side;
  /** Expected fill price: the ask for a market buy, the bid for a market sell, the order price for a pending one. */
  readonly entryPrice: number;
  readonly stopLoss: number;
  /** The per-order lot limit from the risk config; the instrument's `volumeMax` also applies. */
  readonly maxLots: number;
}

export interface Sized {
  readonly kind: 'sized';
  /** Lots to trade: on the volume step, within min/max. */
  readonly volume: number;
  /** Unrounded volume that would spend the whole budget. */
  readonly exactVolume: number;
  /** `equity * riskPercent / 100`, in account currency. */
  readonly riskBudget: number;
  /** Loss of one lot from entry to stop, in account currency. */
  readonly riskPerLot: number;
  /** Loss of `volume` lots at the stop: never above `riskBudget`. */
  readonly riskAmount: number;
  /** True when the volume was cut to the per-order or instrument maximum. */
  readonly capped: boolean;
}

/**
 * Sizes an order from the risk budget and the stop distance:
 * `volume = equity * riskPercent / 100 / riskPerLot`, where `riskPerLot` is the loss of one lot
 * from entry to stop (`distance / tickSize * tickValue`, the tick value taken at the stop price,
 * which matters for USDJPY-like pairs). The volume is rounded DOWN to the step, so the loss at
 * the stop never exceeds the budget, then capped at `min(maxLots, volumeMax)`.
 *
 * Denials: a stop on the wrong side of the entry or at it (RISK.INVALID_STOPS), and a volume
 * below `volumeMin` after rounding (RISK.INVALID_VOLUME): a budget too small for the smallest
 * order is refused, never rounded up to it.
 */
export function sizeByRisk(input: SizingInput): Sized | Deny {
  const { instrument } = input;
  const riskPerLot = -priceProfit(instrument, input.side, 1, input.entryPrice, input.stopLoss, input.accountCurrency);
  if (!(riskPerLot > 0)) {
    return deny('RISK.INVALID_STOPS', {
      side: input.side,
      stopLoss: formatPrice(input.stopLoss, instrument.digits),
      price: formatPrice(input.entryPrice, instrument.digits),
      reason: 'stop loss not on the losing side of entry',
    });
  }
  const riskBudget = Math.max(0, (input.equity * input.riskPercent) / 100);
  const exactVolume = riskBudget / riskPerLot;
  const limit = floorToStep(Math.min(input.maxLots, instrument.volumeMax), instrument.volumeStep);
  const floored = floorToStep(exactVolume, instrument.volumeStep);
  const volume = Math.min(floored, limit);
  if (volume < instrument.volumeMin) {
    return deny('RISK.INVALID_VOLUME', {
      volume: formatVolume(volume),
      min: formatVolume(instrument.volumeMin),
      riskBudget: formatMoney(riskBudget),
      riskPerLot: formatMoney(riskPerLot),
    });
  }
  return { kind: 'sized', volume, exactVolume, riskBudget, riskPerLot, riskAmount: volume * riskPerLot, capped: floored > limit };
}

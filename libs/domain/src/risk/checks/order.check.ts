import type { Side } from '@mt5/contracts';
import { isOnStep } from '../../positions/volume-math.js';
import { ALLOW, deny, type CheckResult } from '../check-result.js';
import { formatPrice, formatVolume } from '../format.js';
import type { RiskInstrument } from '../risk-instrument.types.js';

/** Without a stop an order cannot be sized, and policy may forbid opening without one anyway. */
export function stopLossRequiredCheck(
  intent: { readonly symbol: string; readonly stopLoss: number | null; readonly volume: number | null },
  allowNoStopLoss: boolean,
): CheckResult {
  if (intent.stopLoss !== null) return ALLOW;
  if (!allowNoStopLoss) return deny('RISK.NO_STOP_LOSS', { symbol: intent.symbol });
  // Allowed by policy, but there is nothing to size from: the volume must be given.
  return intent.volume === null ? deny('RISK.NO_STOP_LOSS', { symbol: intent.symbol, volume: 'none' }) : ALLOW;
}

/** The volume is within the instrument's min and max and on its step. */
export function volumeCheck(volume: number, instrument: RiskInstrument): CheckResult {
  if (volume < instrument.volumeMin) return deny('RISK.INVALID_VOLUME', { volume: formatVolume(volume), min: formatVolume(instrument.volumeMin) });
  if (volume > instrument.volumeMax) return deny('RISK.INVALID_VOLUME', { volume: formatVolume(volume), max: formatVolume(instrument.volumeMax) });
  if (!isOnStep(volume, instrument.volumeStep)) return deny('RISK.INVALID_VOLUME', { volume: formatVolume(volume), step: formatVolume(instrument.volumeStep) });
  return ALLOW;
}

/**
 * A (partial) close: no more than the position holds, on the step, and at least the minimum
 * unless it closes everything that is left.
 */
export function closeVolumeCheck(volume: number, openVolume: number, instrument: RiskInstrument, positionId: string): CheckResult {
  if (volume > openVolume) return deny('RISK.INVALID_VOLUME', { positionId, volume: formatVolume(volume), open: formatVolume(openVolume) });
  if (Math.abs(volume - openVolume) < 1e-9) return ALLOW;
  return volumeCheck(volume, instrument);
}

/** `RISK.MAX_LOTS_EXCEEDED: volume=2.5, max=2.0` above the per-order lot limit (equal passes). */
export function maxLotsCheck(volume: number, maxLotsPerOrder: number): CheckResult {
  return volume > maxLotsPerOrder ? deny('RISK.MAX_LOTS_EXCEEDED', { volume: formatVolume(volume), max: formatVolume(maxLotsPerOrder) }) : ALLOW;
}

/**
 * Stop loss and take profit are on the correct side of the reference price and at least the
 * stops level away, as the venue checks them: a long closes at the bid, so a buy's levels are
 * measured from the bid; a short's from the ask; a pending order's from its own price. With a
 * stops level of 0 a level must still be at least one point away.
 */
export function stopsCheck(
  order: { readonly side: Side; readonly stopLoss: number | null; readonly takeProfit: number | null },
  referencePrice: number,
  instrument: RiskInstrument,
): CheckResult {
  const sign = order.side === 'BUY' ? 1 : -1;
  const minPoints = Math.max(instrument.stopsLevel, 1);
  const levels: [string, number | null, number][] = [
    ['stopLoss', order.stopLoss, (referencePrice - (order.stopLoss ?? 0)) * sign],
    ['takeProfit', order.takeProfit, ((order.takeProfit ?? 0) - referencePrice) * sign],
  ];
  for (const [name, level, distance] of levels) {
    if (level === null) continue;
    const distancePoints = Math.round(distance / instrument.point);
    if (distancePoints < minPoints) {
      return deny('RISK.INVALID_STOPS', {
        side: order.side,
        [name]: formatPrice(level, instrument.digits),
        price: formatPrice(referencePrice, instrument.digits),
        distancePoints,
        minPoints,
      });
    }
  }
  return ALLOW;
}

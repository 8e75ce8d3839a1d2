import type { InstrumentMath } from './instrument-math.types.js';

/**
 * Size of one pip in price units. Fractional-pip quoting (5 digits on EURUSD, 3 on USDJPY) puts
 * ten points in a pip; everything else (2-digit metals, indices) counts a pip as one point.
 */
export function pipSize(instrument: Pick<InstrumentMath, 'digits' | 'point'>): number {
  return instrument.digits === 3 || instrument.digits === 5 ? instrument.point * 10 : instrument.point;
}

/** A price distance in pips (signed as given), rounded to a tenth of a pip. */
export function priceToPips(instrument: Pick<InstrumentMath, 'digits' | 'point'>, distance: number): number {
  return Math.round((distance / pipSize(instrument)) * 10) / 10;
}

/** A distance in pips as a price distance, rounded to the instrument's digits. */
export function pipsToPrice(instrument: Pick<InstrumentMath, 'digits' | 'point'>, pips: number): number {
  const factor = 10 ** instrument.digits;
  return Math.round(pips * pipSize(instrument) * factor) / factor;
}

/** A price distance in whole points (stops level, spread), rounded to the nearest point. */
export function priceToPoints(instrument: Pick<InstrumentMath, 'point'>, distance: number): number {
  return Math.round(distance / instrument.point);
}

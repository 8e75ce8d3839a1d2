/**
 * Lot arithmetic without float noise. Volumes are decimal steps (0.01 lot), which doubles cannot
 * hold exactly (0.1 + 0.2 = 0.30000000000000004), so every result is snapped back to the step's
 * decimals. Volumes never need more than 8 decimals.
 */

const VOLUME_DECIMALS = 8;
/** Tolerance for "is this on the step": far below any real step, far above double noise. */
const STEP_EPSILON = 1e-6;
/** Added before flooring so that 0.3 / 0.1 = 2.9999999999999996 floors to 3, not 2. */
const FLOOR_EPSILON = 1e-9;

/** Rounds a number to `decimals` places (half away from zero), for values of lot or price size. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.sign(value) * (Math.round(Math.abs(value) * factor) / factor);
}

/** Snaps a computed volume to 8 decimals, removing double noise from sums and differences. */
export function normalizeVolume(volume: number): number {
  return roundTo(volume, VOLUME_DECIMALS);
}

/** Number of decimals a step is written with: 0.01 → 2, 0.1 → 1, 1 → 0, 0.005 → 3. */
export function stepDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) throw new Error(`stepDecimals: invalid step ${step}`);
  for (let decimals = 0; decimals <= VOLUME_DECIMALS; decimals += 1) {
    if (Math.abs(roundTo(step, decimals) - step) < 1e-12) return decimals;
  }
  return VOLUME_DECIMALS;
}

/** The largest multiple of `step` that is ≤ `volume` (never rounds up), written with the step's decimals. */
export function floorToStep(volume: number, step: number): number {
  if (!Number.isFinite(volume)) throw new Error(`floorToStep: invalid volume ${volume}`);
  if (volume <= 0) return 0;
  const steps = Math.floor(volume / step + FLOOR_EPSILON);
  return roundTo(steps * step, stepDecimals(step));
}

/** True when `volume` is a whole number of steps (up to double noise). */
export function isOnStep(volume: number, step: number): boolean {
  const steps = volume / step;
  return Math.abs(steps - Math.round(steps)) < STEP_EPSILON;
}

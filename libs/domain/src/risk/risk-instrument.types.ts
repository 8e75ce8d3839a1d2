import type { InstrumentSpec } from '../instruments/instrument-spec.js';
import type { InstrumentMath } from '../positions/instrument-math.types.js';

/**
 * The instrument facts risk needs: a subset of the instruments library's `InstrumentSpec`, so a
 * catalogue spec passes as is. Session windows are not read here; the caller passes whether the
 * trade session is open at `now` (`isInSession(spec, now)`) in the context, which keeps the
 * context plain data that can be stored with the decision.
 */
export type RiskInstrument = InstrumentMath &
  Pick<InstrumentSpec, 'venue' | 'volumeMin' | 'volumeMax' | 'volumeStep' | 'stopsLevel' | 'tradeMode'>;

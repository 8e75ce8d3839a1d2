import { readFileSync } from 'node:fs';
import { catalogueV1Url, loadCatalogue, type InstrumentSpec } from '@mt5/domain/instruments';
import { Decimal } from 'decimal.js';
import { invalidRequest } from '../gateway-error.js';

/** The catalogue would not load: the gateway does not accept orders it cannot check. */
export class CatalogueLoadError extends Error {
  readonly code = 'SYS.CONFIG_INVALID';
  readonly retryable = false;
}

/**
 * The instruments of one venue from the bundled catalogue, for checks the gateway makes before
 * anything reaches risk-guard: the symbol exists and a volume sits on its step within min..max.
 */
export class InstrumentCatalogue {
  private readonly bySymbol: ReadonlyMap<string, InstrumentSpec>;

  constructor(readonly venue: string, specs: readonly InstrumentSpec[]) {
    this.bySymbol = new Map(specs.filter((spec) => spec.venue === venue).map((spec) => [spec.symbol, spec]));
    if (this.bySymbol.size === 0) throw new CatalogueLoadError(`the instrument catalogue has no instrument on venue ${venue} (OPS_CATALOGUE_VENUE)`);
  }

  /** Reads the bundled v1 catalogue (once, at boot). */
  static bundled(venue: string): InstrumentCatalogue {
    const loaded = loadCatalogue(JSON.parse(readFileSync(catalogueV1Url, 'utf8')) as unknown);
    if (!loaded.ok) throw new CatalogueLoadError(`instrument catalogue: ${loaded.problems.join('; ')}`);
    return new InstrumentCatalogue(venue, loaded.catalogue.instruments);
  }

  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  /** The spec, or a 400 that lists what is known. */
  require(symbol: string): InstrumentSpec {
    const spec = this.bySymbol.get(symbol);
    if (!spec) throw invalidRequest(`symbol: unknown symbol ${JSON.stringify(symbol)} on venue ${this.venue}; known: ${this.symbols().join(', ')}`, { field: 'symbol' });
    return spec;
  }

  /** A positive decimal volume within min..max and on the step (exact decimal arithmetic), or a 400 saying which. */
  checkVolume(spec: InstrumentSpec, volume: string, field = 'volume', options: { allowBelowMinimum?: boolean } = {}): void {
    const value = new Decimal(volume);
    const step = new Decimal(String(spec.volumeStep));
    if (!value.mod(step).isZero()) {
      throw invalidRequest(`${field}: ${volume} is not a multiple of the volume step ${step.toString()} for ${spec.symbol}`, { field, step: step.toString() });
    }
    if (!options.allowBelowMinimum && value.lessThan(String(spec.volumeMin))) {
      throw invalidRequest(`${field}: ${volume} is below the minimum ${spec.volumeMin} for ${spec.symbol}`, { field, min: String(spec.volumeMin) });
    }
    if (value.greaterThan(String(spec.volumeMax))) {
      throw invalidRequest(`${field}: ${volume} is above the maximum ${spec.volumeMax} for ${spec.symbol}`, { field, max: String(spec.volumeMax) });
    }
  }
}

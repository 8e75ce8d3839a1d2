import { readFile } from 'node:fs/promises';
import { catalogueV1Url, isInSession, loadCatalogue, type InstrumentSpec } from '@mt5/domain/instruments';
import type { InstrumentCatalogue } from '../../application/ports.js';

/** The catalogue refused at boot: the service does not vet orders against a spec it cannot trust. */
export class CatalogueError extends Error {
  readonly code = 'SYS.CONFIG_INVALID';
  readonly retryable = false;
}

/** The specs of one venue as the service uses them. */
export function catalogueOf(specs: readonly InstrumentSpec[]): InstrumentCatalogue {
  const bySymbol = Object.fromEntries(specs.map((spec) => [spec.symbol, spec]));
  return {
    bySymbol,
    isInSession: (symbol, epochMs) => {
      const spec = bySymbol[symbol];
      return spec !== undefined && isInSession(spec, epochMs);
    },
  };
}

/** Reads and validates the catalogue file (the bundled v1 by default) and keeps `venue`'s instruments. */
export async function loadInstrumentCatalogue(venue: string, path?: string): Promise<InstrumentCatalogue> {
  const source = path ?? catalogueV1Url;
  const loaded = loadCatalogue(JSON.parse(await readFile(source, 'utf8')) as unknown);
  if (!loaded.ok) throw new CatalogueError(`instrument catalogue ${String(source)}: ${loaded.problems.join('; ')}`);
  const specs = loaded.catalogue.instruments.filter((spec) => spec.venue === venue);
  if (specs.length === 0) throw new CatalogueError(`instrument catalogue ${String(source)} has no instrument on venue ${venue} (CATALOGUE_VENUE)`);
  return catalogueOf(specs);
}

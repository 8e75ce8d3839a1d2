import { readFile } from 'node:fs/promises';
import { catalogueV1Url, loadCatalogue, type InstrumentSpec } from '@mt5/domain/instruments';
import type { InstrumentsRepository, InstrumentWrite, StoredInstrument } from '../../adapters/instruments.repository.js';

/** A catalogue file that does not validate; lists every problem. */
export class CatalogueError extends Error {
  readonly code = 'MD.INVALID_CATALOGUE';
  readonly retryable = false;
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`${file}: invalid instrument catalogue (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogueError';
  }
}

/**
 * `mt5-demo=MT5,binance=binance` → a map. The shipped catalogue names its MT5 venue `mt5-demo`;
 * the platform's venue token (`MD_VENUE`, execution's `VENUE`) is `MT5` by default, so loading
 * renames it unless told otherwise.
 */
export function parseVenueMap(text: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const pair of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const [from, to] = pair.split('=').map((part) => part.trim());
    if (!from || !to || !/^[A-Za-z0-9_-]{1,64}$/.test(to)) throw new RangeError(`venue map entry "${pair}" is not <catalogue venue>=<venue>`);
    map.set(from, to);
  }
  return map;
}

export interface LoadInstrumentsResult {
  readonly file: string;
  readonly instruments: ReadonlyArray<{ venue: string; symbol: string; result: InstrumentWrite }>;
}

/** Loads a versioned catalogue file into `instruments` (idempotent) and answers instrument look-ups. */
export class InstrumentsUseCase {
  constructor(
    private readonly repository: InstrumentsRepository,
    private readonly venueMap: ReadonlyMap<string, string>,
    /** The catalogue used when no file is named (`MD_INSTRUMENTS_FILE`, else the shipped one). */
    private readonly defaultFile?: string,
  ) {}

  /** Reads, validates (every problem reported) and upserts; an unchanged spec keeps its version. */
  async load(file?: string): Promise<LoadInstrumentsResult> {
    const specs = await this.readCatalogue(file);
    return { file: file ?? this.defaultFile ?? catalogueV1Url.pathname, instruments: await this.repository.upsertAll(specs) };
  }

  /** The catalogue's specs with venues renamed by the venue map. */
  async readCatalogue(file?: string): Promise<InstrumentSpec[]> {
    const location = file ?? this.defaultFile ?? catalogueV1Url;
    const name = typeof location === 'string' ? location : location.pathname;
    let json: unknown;
    try {
      json = JSON.parse(await readFile(location, 'utf8'));
    } catch (error) {
      throw new CatalogueError(name, [(error as Error).message]);
    }
    const loaded = loadCatalogue(json);
    if (!loaded.ok) throw new CatalogueError(name, loaded.problems);
    return loaded.catalogue.instruments.map((spec) => ({ ...spec, venue: this.venueMap.get(spec.venue) ?? spec.venue }));
  }

  list(venue?: string, symbols?: readonly string[]): Promise<StoredInstrument[]> {
    return this.repository.list(venue, symbols);
  }

  /**
   * The specification of one symbol: the stored one, else the shipped catalogue's (so `gaps`
   * works before `instruments load`), else undefined.
   */
  async find(venue: string, symbol: string): Promise<InstrumentSpec | undefined> {
    const [stored] = await this.repository.list(venue, [symbol]);
    if (stored) return stored.spec;
    const shipped = await this.readCatalogue();
    return shipped.find((spec) => spec.venue === venue && spec.symbol === symbol);
  }
}

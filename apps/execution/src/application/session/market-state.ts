import type { SymbolSpec } from '@mt5/contracts';
import type { TerminalPort } from '../ports.js';

export interface Quote {
  readonly bid: number;
  readonly ask: number;
  /** Server time of the quote, epoch ms. */
  readonly time: number;
}

/**
 * What the gateway knows about the market from the terminal: the latest quote per symbol (ticks
 * and trade results) and symbol specifications (digits, filling modes), fetched once per session.
 */
export class MarketState {
  private readonly quotes = new Map<string, Quote>();
  private readonly specs = new Map<string, SymbolSpec>();

  setQuote(symbol: string, quote: Quote): void {
    const known = this.quotes.get(symbol);
    if (!known || quote.time >= known.time) this.quotes.set(symbol, quote);
  }

  quote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol);
  }

  spec(symbol: string): SymbolSpec | undefined {
    return this.specs.get(symbol);
  }

  addSpecs(specs: readonly SymbolSpec[]): void {
    for (const spec of specs) this.specs.set(spec.symbol, spec);
  }

  /** The spec of `symbol`, asking the terminal when it is not known yet; undefined when the terminal does not know it. */
  async loadSpec(terminal: TerminalPort, symbol: string): Promise<SymbolSpec | undefined> {
    const known = this.specs.get(symbol);
    if (known) return known;
    const reply = await terminal.symbols([symbol]);
    this.addSpecs(reply.specs);
    return this.specs.get(symbol);
  }

  /** Specs can change between sessions (a broker edits a contract): forget them on disconnect. */
  forgetSpecs(): void {
    this.specs.clear();
  }
}

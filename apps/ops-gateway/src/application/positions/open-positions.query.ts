import { Inject, Injectable } from '@nestjs/common';
import { Subjects } from '@mt5/contracts';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../../gateway.tokens.js';
import { UpstreamClient } from '../upstream/upstream.client.js';

export interface OpenPosition {
  readonly positionId: string;
  readonly symbol: string;
  readonly [field: string]: unknown;
}

export interface OpenPositions {
  readonly positions: readonly OpenPosition[];
  /** When execution answered. */
  readonly asOf: string;
}

/**
 * Open positions of one account from execution (`exec.qry.positions` naming the account: the
 * instance serving it answers, the others stay silent), kept in memory for
 * OPS_POSITIONS_CACHE_MS and dropped as soon as a position event passes on the bus (the live
 * stream calls {@link invalidate}). Concurrent requests while a query is out share it, so a burst
 * of readers costs execution one query per account and interval.
 */
@Injectable()
export class OpenPositionsQuery {
  hits = 0;
  misses = 0;
  private readonly cached = new Map<string, { value: OpenPositions; until: number }>();
  private readonly inflight = new Map<string, Promise<OpenPositions>>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly upstream: UpstreamClient, @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions) {
    this.now = options.now ?? Date.now;
  }

  get(account: string = this.options.config.OPS_ACCOUNT): Promise<OpenPositions> {
    const cached = this.cached.get(account);
    if (cached && cached.until > this.now()) {
      this.hits++;
      return Promise.resolve(cached.value);
    }
    this.misses++;
    const pending = this.inflight.get(account);
    if (pending) return pending;
    const generation = this.generation;
    const query = this.upstream.request<OpenPosition[]>({ service: 'execution', subject: Subjects.query('execution', 'positions'), body: { account } })
      .then((positions) => {
        const value: OpenPositions = { positions, asOf: new Date(this.now()).toISOString() };
        // An event that arrived while the query was out may not be in its answer: do not keep it then.
        if (generation === this.generation) this.cached.set(account, { value, until: this.now() + this.options.config.OPS_POSITIONS_CACHE_MS });
        return value;
      })
      .finally(() => this.inflight.delete(account));
    this.inflight.set(account, query);
    return query;
  }

  invalidate(): void {
    this.generation++;
    this.cached.clear();
  }
}

import { randomBytes } from 'node:crypto';
import { Mt5Retcode, type BridgeBody, type BridgeFrame, type TradeTransactionBody } from '@mt5/contracts';
import { BridgeClient, type BridgeClientTlsOptions, type BridgeReconnectOptions } from '@mt5/infra/bridge';
import type { Logger } from 'pino';
import type { SimTransaction } from '../broker/broker.types.js';
import type { SimBroker } from '../broker/sim-broker.js';
import { toAccountBody, toBridgePosition, toSymbolSpec } from './bridge-mappers.js';
import { FaultPlan, type DrawnFaults, type TransactionFault } from './fault-plan.js';

export interface SimTerminalOptions {
  readonly broker: SimBroker;
  /** The platform account id this terminal serves (hello `account`). */
  readonly account: string;
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  readonly tls?: BridgeClientTlsOptions;
  readonly reconnect?: BridgeReconnectOptions;
  readonly faults?: FaultPlan;
  readonly logger?: Logger;
  /** Trade server name reported in hello. */
  readonly server?: string;
}

/** Version the simulator reports as `eaVersion`. */
export const SIM_EA_VERSION = '1.0.0-sim';

const RETCODE_FAULTS = { requote: Mt5Retcode.REQUOTE, price_changed: Mt5Retcode.PRICE_CHANGED, price_off: Mt5Retcode.PRICE_OFF } as const;
const FAULT_COMMENTS = { requote: 'Requote', price_changed: 'Prices changed', price_off: 'No prices' } as const;

/**
 * The terminal half of the simulator: what the EA does in a real MT5 terminal, over the same
 * bridge. It answers the gateway's requests from the broker's books, sends trade requests to the
 * broker, streams ticks of subscribed symbols, numbers trade transactions per EA instance and
 * sends them after the trade result (as OnTradeTransaction runs after OrderSend returns), and
 * injects the faults of its {@link FaultPlan}.
 */
export class SimTerminal {
  readonly faults: FaultPlan;
  private readonly client: BridgeClient;
  private readonly broker: SimBroker;
  private instanceId = newInstanceId();
  private seq = 0;
  private subscribed = new Set<string>();
  /** Transactions held back while a trade request runs. */
  private captured: TradeTransactionBody[] | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: SimTerminalOptions) {
    this.broker = options.broker;
    this.faults = options.faults ?? new FaultPlan();
    this.client = new BridgeClient({
      host: options.host, port: options.port, secret: options.secret, tls: options.tls, reconnect: options.reconnect,
      identity: () => ({
        account: options.account, login: this.broker.account.login, server: options.server ?? 'MT5Sim-Demo', company: 'mt5-simulator',
        terminalBuild: 4755, eaVersion: SIM_EA_VERSION, eaInstanceId: this.instanceId, serverTimeOffsetSeconds: 0,
        marginMode: this.broker.account.marginMode, tradeAllowed: true,
      }),
      heartbeatBody: () => ({ terminalConnected: true, tradeAllowed: true, serverTimeOffsetSeconds: 0 }),
    });
    this.client.on('frame', (frame) => this.onFrame(frame));
    this.client.on('open', () => {
      // Like the EA: a new session starts without subscriptions; the gateway subscribes again.
      this.subscribed = new Set();
      options.logger?.info({ account: options.account, eaInstanceId: this.instanceId }, 'bridge session open');
    });
    this.client.on('close', (info) => options.logger?.warn({ ...info }, 'bridge session closed'));
    this.client.on('handshake-failed', (failure) => options.logger?.error({ ...failure }, 'bridge handshake refused'));
    this.broker.onTransaction((transaction) => this.onTransaction(transaction));
    this.broker.onQuote((symbol, quote) => {
      if (this.subscribed.has(symbol)) this.client.send('tick', { symbol, time: quote.time, bid: quote.bid, ask: quote.ask, flags: 6 });
    });
  }

  get isConnected(): boolean {
    return this.client.isOpen;
  }

  /** The current EA instance (changes when the terminal crashes and restarts). */
  get eaInstanceId(): string {
    return this.instanceId;
  }

  start(): void {
    this.client.start();
  }

  stop(): void {
    this.clearTimers();
    this.client.stop();
  }

  /** Drops the connection like a network cut; the terminal redials. */
  dropConnection(): void {
    this.client.dropConnection('simulated network drop');
  }

  /**
   * Dies like a crashed terminal: the connection goes without a word, delayed transactions and
   * subscriptions are lost, and after `restartAfterMs` a new EA instance (new id, `seq` from 1)
   * dials in. The broker's books are untouched.
   */
  crash(restartAfterMs?: number): void {
    this.clearTimers();
    this.client.suspend(restartAfterMs);
    this.instanceId = newInstanceId();
    this.seq = 0;
    this.subscribed = new Set();
  }

  private onFrame(frame: BridgeFrame): void {
    const broker = this.broker;
    switch (frame.kind) {
      case 'symbols_request': {
        const names = frame.body.symbols ?? broker.symbols().map((s) => s.symbol);
        const known = names.filter((name) => broker.symbol(name));
        this.client.reply(frame, 'symbol_spec', { specs: known.map((name) => toSymbolSpec(broker.symbol(name)!)), unknownSymbols: names.filter((name) => !broker.symbol(name)) });
        return;
      }
      case 'ticks_subscribe':
        this.subscribed = new Set(frame.body.symbols);
        for (const symbol of this.subscribed) {
          const quote = broker.quote(symbol);
          if (quote) this.client.send('tick', { symbol, time: quote.time, bid: quote.bid, ask: quote.ask, flags: 6 });
        }
        return;
      case 'account_request':
        this.client.reply(frame, 'account', toAccountBody(broker));
        return;
      case 'positions_request': {
        const currency = broker.account.currency;
        const positions = broker.positions(frame.body).map((p) => toBridgePosition(p, broker.symbol(p.symbol)!, broker.quote(p.symbol), currency));
        this.client.reply(frame, 'positions', { positions });
        return;
      }
      case 'orders_request':
        this.client.reply(frame, 'orders', { orders: broker.orders(frame.body) });
        return;
      case 'deals_request':
        this.client.reply(frame, 'deals', broker.deals(frame.body));
        return;
      case 'bars_request': {
        const { symbol, timeframe, from, to, maxCount } = frame.body;
        this.client.reply(frame, 'bars', { symbol, timeframe, ...broker.history(symbol, timeframe, from, to, maxCount) });
        return;
      }
      case 'trade_request':
        this.onTradeRequest(frame);
        return;
      case 'error':
        this.options.logger?.warn({ error: frame.body }, 'gateway reported an error');
        return;
      default:
        // Late replies to our heartbeats and anything else the gateway should not send.
        if (frame.replyTo === undefined) this.client.replyError(frame, 'BRIDGE.UNEXPECTED_FRAME', `${frame.kind} is not a request the terminal serves`);
    }
  }

  private onTradeRequest(frame: BridgeFrame<'trade_request'>): void {
    const drawn = this.faults.draw(frame.body);
    const outcome = drawn.outcome;
    if (drawn.outcome) this.options.logger?.info({ fault: drawn.outcome, requestId: frame.id }, 'injecting fault');
    if (outcome?.kind === 'disconnect_before') {
      this.client.dropConnection('fault: disconnect before the request reached the broker');
      return;
    }
    if (outcome?.kind === 'requote' || outcome?.kind === 'price_changed' || outcome?.kind === 'price_off') {
      this.client.reply(frame, 'trade_result', this.refusal(frame.body.symbol, RETCODE_FAULTS[outcome.kind], FAULT_COMMENTS[outcome.kind]));
      return;
    }
    this.captured = [];
    const executed = !(outcome?.kind === 'timeout' && !outcome.executed);
    const result = executed ? this.broker.execute(frame.body) : undefined;
    const transactions = this.captured;
    this.captured = undefined;
    if (outcome?.kind === 'disconnect_after') {
      this.client.dropConnection('fault: disconnect after the broker executed the request');
      return;
    }
    if (outcome?.kind === 'crash_after_accept') {
      this.crash(outcome.restartAfterMs);
      return;
    }
    if (outcome?.kind === 'timeout') {
      if (outcome.mode === 'reply') this.client.reply(frame, 'trade_result', this.refusal(frame.body.symbol, Mt5Retcode.TIMEOUT, 'Request timed out'));
    } else {
      this.client.reply(frame, 'trade_result', result!);
    }
    this.sendTransactions(transactions, drawn);
  }

  private refusal(symbol: string | undefined, retcode: number, comment: string): BridgeBody<'trade_result'> {
    const quote = symbol ? this.broker.quote(symbol) : undefined;
    return { retcode, deal: '0', order: '0', volume: 0, price: 0, bid: quote?.bid ?? 0, ask: quote?.ask ?? 0, comment, requestId: 0, retcodeExternal: 0 };
  }

  /** Numbers every transaction at once (so a lost one leaves a gap) and holds it back during a trade request. */
  private onTransaction(transaction: SimTransaction): void {
    const body: TradeTransactionBody = { seq: ++this.seq, ...transaction };
    if (this.captured) this.captured.push(body);
    else this.client.send('trade_transaction', body);
  }

  private sendTransactions(transactions: readonly TradeTransactionBody[], drawn: DrawnFaults): void {
    const fault: TransactionFault | undefined = drawn.transactions;
    const copies = fault?.kind === 'duplicate_transactions' ? fault.copies : 1;
    const send = () => {
      for (const body of transactions) for (let copy = 0; copy < copies; copy++) this.client.send('trade_transaction', body);
    };
    if (fault?.kind !== 'delay_transactions') {
      send();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      send();
    }, fault.delayMs);
    this.timers.add(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function newInstanceId(): string {
  return `sim-${randomBytes(6).toString('hex')}`;
}

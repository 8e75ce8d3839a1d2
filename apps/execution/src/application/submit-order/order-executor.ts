import { AppError, classifyRetcode, mt5RetcodeInfo, type SubmitOrder, type TradeResultBody } from '@mt5/contracts';
import { withSpan } from '@mt5/infra/telemetry';
import { commitAndPublish, publishCommitted, type ExecutionContext } from '../execution-context.js';
import { ExecutionMetrics } from '../execution-metrics.js';
import type { FillRecorder } from '../fills/fill-recorder.js';
import { Transitions } from '../orders/order-transitions.js';
import type { NewOrder, OrderRecord, OrderTransition } from '../orders/order.types.js';
import type { OrderSettler } from '../settle-order/order-settler.js';
import { belongsTo } from '../settle-order/settlement.js';
import { dealsWindow } from '../session/terminal-time.js';
import { tradeRequestFor } from './trade-request.mapper.js';

export interface DriveOptions {
  /** Aborts when the service stops: a waiting command is handed back (nak) and resumes elsewhere. */
  readonly signal: AbortSignal;
  /** Keeps the command's JetStream message in progress while it waits. */
  readonly keepAlive?: () => void;
  /** The submit command, re-checked by risk after a wait. Closing orders have none: they only reduce exposure. */
  readonly recheck?: SubmitOrder;
  /** The row existed before this delivery (a redelivery or a restart): time passed, so risk looks again. */
  readonly resumed: boolean;
}

/** The first send's request and the order as its SUBMITTED row was committed (the fast path of {@link OrderExecutor.submitNew}). */
interface Presubmitted {
  readonly order: OrderRecord;
  readonly request: ReturnType<typeof tradeRequestFor>['request'];
}

type SendOutcome = { readonly kind: 'done'; readonly order: OrderRecord } | { readonly kind: 'not-ready' } | { readonly kind: 'rate-limited'; readonly retryAfterMs: number };

/**
 * Drives one order from NEW to a state the gateway no longer acts on (final, ACCEPTED at the
 * venue, or UNKNOWN awaiting settlement), following the order safety rules:
 * - nothing leaves before the row is committed, and SUBMITTED is committed before each send;
 * - only requote, price changed and price off (10004/10020/10021) are sent again, with a fresh
 *   price, up to `priceRetryAttempts` sends;
 * - a timeout, a drop or a retcode of unknown class makes the order UNKNOWN: it is never sent
 *   again, only settled by querying the terminal;
 * - while the bridge is down or reconciling, the order waits until its `validUntil`, then expires;
 *   after a wait, risk re-checks it.
 */
export class OrderExecutor {
  constructor(private readonly context: ExecutionContext, private readonly fills: FillRecorder, private readonly settler: OrderSettler) {}

  async drive(order: OrderRecord, options: DriveOptions): Promise<OrderRecord> {
    if (order.status === 'SUBMITTED' || order.status === 'UNKNOWN') {
      // Redelivered after the send: never send again. Settle now if the terminal is there; otherwise
      // reconciliation settles it when the terminal connects.
      if (!this.context.gate.isReady()) return order;
      return this.context.lock.run(async () => (await this.settler.settle(await this.reload(order))).order);
    }
    if (order.status !== 'NEW') return order;
    return this.driveNew(order, options);
  }

  /**
   * A command seen for the first time while the gate is open and a token is there: under the
   * account lock, its row is inserted already SUBMITTED (with its NEW and SUBMITTED events, one
   * statement, committed) and the request goes out, one commit and one round trip sooner than
   * NEW first, then SUBMITTED. The rules hold: the row is committed before the send, sends stay
   * serialised by the lock, the clientOrderId stays unique (a known one inserts nothing and is
   * driven from its stored state by {@link drive}). Undefined when the fast path does not apply
   * (gate closed, no token, past its deadline): the caller creates the order NEW and drives it.
   */
  async submitNew(wanted: NewOrder): Promise<{ order: OrderRecord; created: boolean } | undefined> {
    const { gate, clock, terminal, market, settings, store } = this.context;
    if (!gate.isReady()) return undefined;
    return this.context.lock.run(async () => {
      const now = clock.now();
      if (!gate.isReady() || now > wanted.validUntil) return undefined;
      const spec = await market.loadSpec(terminal, wanted.symbol).catch(() => undefined);
      if (!(await this.takeToken()).allowed) return undefined;
      let request: Presubmitted['request'] | undefined;
      const stored = await store.createSubmitted(wanted, now, (fresh) => {
        const mapped = tradeRequestFor(fresh, { spec, quote: market.quote(fresh.symbol), deviationPoints: settings.deviationPoints });
        request = mapped.request;
        return Transitions.submitted(fresh, now, 1, mapped.sentPrice);
      });
      if (!stored.created) return { order: stored.order, created: false };
      publishCommitted(this.context, { transitions: [stored.transition] }, stored.outbox);
      const outcome = await this.send(stored.order, true, { order: stored.order, request: request! });
      return { order: outcome.kind === 'done' ? outcome.order : stored.order, created: true };
    });
  }

  private async driveNew(order: OrderRecord, options: DriveOptions): Promise<OrderRecord> {
    const { gate, clock } = this.context;
    let rechecked = false;
    let rounds = 0;
    for (;;) {
      const wait = await gate.waitUntilReady(order.validUntil, options.signal, options.keepAlive);
      if (wait.kind === 'stopped') {
        throw new AppError('EXEC.BRIDGE_DISCONNECTED', `order ${order.clientOrderId} is waiting for the bridge and the service is stopping; handing it back`, { retryable: true });
      }
      if (wait.kind === 'deadline') {
        const why = wait.state === 'READY' ? 'the bridge circuit breaker stayed open' : wait.state === 'RECONCILING' ? 'reconciliation with the terminal did not finish' : 'no terminal session';
        return this.context.lock.run(async () => this.expireIfNew(await this.reload(order), `validUntil ${order.validUntil.toISOString()} passed while waiting: ${why}`));
      }
      if (options.recheck && !rechecked && (wait.waitedMs > 0 || options.resumed)) {
        rechecked = true;
        const verdict = await this.context.risk.recheck(options.recheck, wait.waitedMs);
        if (!verdict.approved) {
          return this.context.lock.run(async () => this.expireIfNew(await this.reload(order), `risk re-check after waiting for the bridge: ${verdict.reason}`));
        }
      }
      // Straight from its creation (no wait, not a redelivery) the row in hand is current: NEW rows
      // change only through this command's own handling. Otherwise read it again.
      const current = wait.waitedMs === 0 && !options.resumed && rounds === 0;
      rounds++;
      const outcome = await this.context.lock.run(() => this.send(order, current));
      if (outcome.kind === 'done') return outcome.order;
      if (outcome.kind === 'rate-limited') {
        const pause = Math.min(outcome.retryAfterMs, Math.max(0, order.validUntil.getTime() - clock.now().getTime()));
        await sleep(Math.max(1, pause), options.signal);
      }
    }
  }

  /**
   * One send (with its price retries), under the account lock. `presubmitted`: the first attempt
   * is committed SUBMITTED already (its token taken); only its request is left to send.
   */
  private async send(initial: OrderRecord, current: boolean, presubmitted?: Presubmitted): Promise<SendOutcome> {
    const { gate, clock, terminal, market, settings } = this.context;
    let order = presubmitted?.order ?? (current ? initial : await this.reload(initial));
    if (!presubmitted) {
      if (order.status !== 'NEW') return { kind: 'done', order };
      if (clock.now() > order.validUntil) return { kind: 'done', order: await this.expireIfNew(order, `validUntil ${order.validUntil.toISOString()} passed before it could be sent`) };
      if (!gate.isReady()) return { kind: 'not-ready' };
    }
    const spec = await market.loadSpec(terminal, order.symbol).catch(() => undefined);
    let requote: { retcode: number; comment: string } | undefined;
    for (let attempt = presubmitted ? order.attempts : order.attempts + 1; ; attempt++) {
      let request: Presubmitted['request'];
      if (presubmitted && attempt === presubmitted.order.attempts) {
        request = presubmitted.request;
      } else {
        const prepared = await this.prepareSend(order, attempt, spec, requote);
        if (prepared.kind !== 'ready') return prepared;
        ({ order, request } = prepared);
      }
      let result: TradeResultBody;
      try {
        result = await withSpan('bridge trade_request', {
          kind: 'client', attributes: { 'mt5.client_order_id': order.clientOrderId, 'mt5.attempt': attempt, 'mt5.action': request.action },
        }, () => terminal.trade(request));
      } catch (error) {
        await this.context.hooks.afterTradeResult?.(order.clientOrderId);
        const sent = (error as { sent?: boolean }).sent;
        const reason = `${sent === false ? 'not sent' : 'no trade result'}: ${(error as Error).message}`;
        return { kind: 'done', order: await this.becameUnknown(order, null, reason) };
      }
      await this.context.hooks.afterTradeResult?.(order.clientOrderId);
      if (result.bid > 0 && result.ask > 0) market.setQuote(order.symbol, { bid: result.bid, ask: result.ask, time: terminal.serverNow() });
      const info = mt5RetcodeInfo(result.retcode);
      switch (classifyRetcode(result.retcode)) {
        case 'success':
          return { kind: 'done', order: await this.succeeded(order, result) };
        case 'final-rejection':
          return { kind: 'done', order: await this.commit(Transitions.rejected(order, clock.now(), result.retcode, result.comment || info.description)) };
        case 'unknown-outcome':
          return { kind: 'done', order: await this.becameUnknown(order, result.retcode, `${info.name}: ${result.comment || info.description}`) };
        case 'retryable-with-fresh-price':
          ExecutionMetrics.priceRetries.inc({ account: this.context.account, retcode: String(result.retcode) });
          if (attempt >= settings.priceRetryAttempts || clock.now() > order.validUntil) {
            return { kind: 'done', order: await this.commit(Transitions.rejected(order, clock.now(), result.retcode, `${info.name} on each of ${attempt} sends: ${result.comment || info.description}`, 'EXEC.RETRIES_EXHAUSTED')) };
          }
          requote = { retcode: result.retcode, comment: result.comment || info.description };
      }
    }
  }

  /** A token, then SUBMITTED committed for `attempt`: the order is ready to go out, or the outcome when it may not. */
  private async prepareSend(
    order: OrderRecord, attempt: number, spec: Parameters<typeof tradeRequestFor>[1]['spec'], requote: { retcode: number; comment: string } | undefined,
  ): Promise<SendOutcome | ({ kind: 'ready' } & Presubmitted)> {
    const { clock, terminal, market, settings } = this.context;
    let limit = await this.takeToken();
    if (!limit.allowed && !requote) return { kind: 'rate-limited', retryAfterMs: limit.retryAfterMs };
    // A resend keeps the lock: it waits for its token here, as long as the order is still valid.
    while (!limit.allowed && clock.now() < order.validUntil) {
      await sleep(limit.retryAfterMs);
      limit = await this.takeToken();
    }
    if (!limit.allowed && requote) {
      return { kind: 'done', order: await this.commit(Transitions.rejected(order, clock.now(), requote.retcode, `${mt5RetcodeInfo(requote.retcode).name}: no rate-limit token before validUntil to send again`, 'EXEC.RETRIES_EXHAUSTED')) };
    }
    if (requote && !terminal.isAvailable()) {
      return { kind: 'done', order: await this.commit(Transitions.rejected(order, clock.now(), requote.retcode, `${mt5RetcodeInfo(requote.retcode).name}: cannot send again, the bridge is unavailable`, 'EXEC.RETRIES_EXHAUSTED')) };
    }
    const mapped = tradeRequestFor(order, { spec, quote: market.quote(order.symbol), deviationPoints: settings.deviationPoints });
    const submitted = await this.commit(Transitions.submitted(order, clock.now(), attempt, mapped.sentPrice, requote));
    return { kind: 'ready', order: submitted, request: mapped.request };
  }

  /** The venue did it: a pending order rests (ACCEPTED); a market order traded (its deals → FILLED). */
  private async succeeded(order: OrderRecord, result: TradeResultBody): Promise<OrderRecord> {
    const { clock, terminal, settings } = this.context;
    if (order.orderType !== 'MARKET' || result.deal === '0') {
      return result.order === '0' ? order : this.commit(Transitions.accepted(order, clock.now(), result.order));
    }
    let deals;
    try {
      const window = dealsWindow(terminal, order.createdAt.getTime(), settings.settleLookbackMs);
      const reply = await terminal.deals({ ...window, magic: order.magic, comment: order.comment, maxCount: 1000 });
      deals = reply.deals.filter((deal) => belongsTo(order, deal, deal.order) || deal.ticket === result.deal);
    } catch (error) {
      this.context.logger.warn({ err: error, clientOrderId: order.clientOrderId }, 'deal lookup after a fill failed; the fill is recorded by settlement');
    }
    if (!deals?.some((deal) => deal.ticket === result.deal)) {
      return this.commit(Transitions.accepted(order, clock.now(), result.order));
    }
    const recorded = await this.fills.record(deals, [{ ...order, orderTicket: result.order }]);
    const after = recorded.orders.get(order.clientOrderId) ?? await this.reload(order);
    if (after.status === 'PARTIALLY_FILLED') {
      return this.commit(Transitions.cancelled(after, clock.now(), `remainder not filled: ${mt5RetcodeInfo(result.retcode).name} ${result.comment}`.trim()));
    }
    return after;
  }

  /** No answer: UNKNOWN, never sent again; settled at once when the terminal can be asked. */
  private async becameUnknown(order: OrderRecord, retcode: number | null, reason: string): Promise<OrderRecord> {
    const unknown = await this.commit(Transitions.unknown(order, this.context.clock.now(), retcode, reason));
    this.context.logger.warn({ clientOrderId: order.clientOrderId, retcode, reason }, 'order outcome unknown: settling by query, never resending');
    if (!this.context.terminal.isConnected()) return unknown;
    return (await this.settler.settle(unknown)).order;
  }

  private async expireIfNew(order: OrderRecord, reason: string): Promise<OrderRecord> {
    if (order.status !== 'NEW') return order;
    return this.commit(Transitions.expired(order, this.context.clock.now(), reason));
  }

  private async takeToken(): Promise<{ allowed: boolean; retryAfterMs: number }> {
    try {
      return await this.context.rateLimiter.acquire(this.context.account);
    } catch (error) {
      // Fail closed: without the limiter nothing goes out; the order waits (up to its deadline).
      this.context.logger.error({ err: error }, 'rate limiter unavailable; holding trade requests');
      return { allowed: false, retryAfterMs: 1000 };
    }
  }

  private async commit(transition: OrderTransition): Promise<OrderRecord> {
    const result = await commitAndPublish(this.context, { transitions: [transition] });
    return result.orders.get(transition.order.clientOrderId)!;
  }

  private async reload(order: OrderRecord): Promise<OrderRecord> {
    return (await this.context.store.find(order.clientOrderId)) ?? order;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

import { createHash } from 'node:crypto';
import {
  AppError,
  classifyRetcode,
  type CancelOrderEnvelope,
  type ClosePositionEnvelope,
  type Envelope,
  type FlattenAllEnvelope,
  type SubmitOrderEnvelope,
} from '@mt5/contracts';
import { withSpan } from '@mt5/infra/telemetry';
import { commitAndPublish, type ExecutionContext } from '../execution-context.js';
import { Transitions } from '../orders/order-transitions.js';
import type { NewOrder, OrderOrigin, OrderRecord, PositionRecord } from '../orders/order.types.js';
import type { OrderExecutor } from '../submit-order/order-executor.js';
import { activeTraceHeaders } from '../telemetry/order-trace.js';

/** Largest magic number the platform assigns (a signed 32-bit int, as the orders table and the EA store it). */
const MAX_MAGIC = 2_147_483_647;

/** What the NATS consumer hands each command: stop signal and keep-alive of its message. */
export interface CommandControl {
  readonly signal: AbortSignal;
  readonly keepAlive?: () => void;
}

/**
 * The comment sent to MT5 is the clientOrderId, always: it is how settlement and reconciliation
 * find the order in the terminal (by magic and exact comment), and how a deal is matched to its
 * order through the unique clientOrderId. The command's own comment is kept nowhere else: MT5
 * keeps 31 characters, which a clientOrderId may use up.
 */
export function mt5CommentFor(clientOrderId: string): string {
  return clientOrderId;
}

/** Closing order id for one position of a flatten-all: stable across redeliveries, 31 characters at most. */
export function flattenOrderId(commandId: string, positionId: string): string {
  return `fl-${createHash('sha256').update(`${commandId}:${positionId}`).digest('hex').slice(0, 28)}`;
}

function originOf(envelope: Envelope, closesPosition?: string): OrderOrigin {
  const trace = activeTraceHeaders();
  return {
    commandId: envelope.id, commandType: envelope.type, correlationId: envelope.correlationId, commandTime: envelope.tsEvent,
    ...(trace.traceparent ? { traceparent: trace.traceparent } : {}), ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
    ...(closesPosition ? { closesPosition } : {}),
  };
}

/**
 * The four order commands. Each one is idempotent by clientOrderId: a redelivered command finds
 * its row and resumes from the stored state instead of placing anything again.
 */
export class CommandHandler {
  constructor(private readonly context: ExecutionContext, private readonly executor: OrderExecutor) {}

  async submit(envelope: SubmitOrderEnvelope, control: CommandControl): Promise<OrderRecord> {
    const command = envelope.data;
    this.assertAccount(command.account);
    if (command.magic > MAX_MAGIC) {
      throw new AppError('MSG.SCHEMA_VIOLATION', `magic ${command.magic} is above ${MAX_MAGIC}: platform magic numbers are 32-bit (the orders table and MQL5 int)`);
    }
    const wanted: NewOrder = {
      clientOrderId: command.clientOrderId, account: command.account, magic: command.magic, comment: mt5CommentFor(command.clientOrderId),
      symbol: command.symbol, side: command.side, orderType: command.orderType, volume: command.volume, price: command.price ?? null,
      stopLoss: command.stopLoss ?? null, takeProfit: command.takeProfit ?? null, validUntil: new Date(command.validUntil),
      signalId: command.signalId ?? null, strategyId: command.strategyId ?? null, origin: originOf(envelope),
    };
    // First sight with the gate open and a token: the row goes in SUBMITTED and the request out at once.
    const fast = await this.executor.submitNew(wanted);
    if (fast?.created) return fast.order;
    const { order, created } = fast ?? await this.context.store.create(wanted, this.context.clock.now());
    if (!created && order.origin.commandId !== envelope.id) {
      this.context.logger.warn({ clientOrderId: order.clientOrderId, status: order.status, storedCommand: order.origin.commandId, commandId: envelope.id },
        'EXEC.DUPLICATE_CLIENT_ORDER_ID: another command already used this clientOrderId; the stored order wins');
    }
    return this.executor.drive(order, { ...control, recheck: command, resumed: !created });
  }

  async closePosition(envelope: ClosePositionEnvelope, control: CommandControl): Promise<OrderRecord | undefined> {
    const command = envelope.data;
    this.assertAccount(command.account);
    const existing = await this.context.store.find(command.clientOrderId);
    if (existing) return this.executor.drive(existing, { ...control, resumed: true });
    const position = await this.findPosition(command.positionId, new Date(command.validUntil), control);
    if (!position) {
      this.context.logger.warn({ clientOrderId: command.clientOrderId, positionId: command.positionId }, 'EXEC.POSITION_NOT_FOUND: nothing to close');
      return undefined;
    }
    return this.openClosingOrder(envelope, position, {
      clientOrderId: command.clientOrderId, magic: command.magic, volume: command.volume ?? position.volume,
    }, control);
  }

  async flattenAll(envelope: FlattenAllEnvelope, control: CommandControl): Promise<void> {
    const command = envelope.data;
    this.assertAccount(command.account);
    const wait = await this.context.gate.waitUntilReady(new Date(command.validUntil), control.signal, control.keepAlive);
    if (wait.kind === 'stopped') throw new AppError('EXEC.BRIDGE_DISCONNECTED', 'flatten-all waiting for the bridge; service stopping', { retryable: true });
    if (wait.kind === 'deadline') {
      this.context.logger.error({ reason: command.reason, requestedBy: command.requestedBy }, 'EXEC.COMMAND_EXPIRED: flatten-all passed its validUntil before the bridge was ready');
      return;
    }
    const positions = (await this.context.store.openPositions(command.account))
      .filter((p) => (command.symbol === undefined || p.symbol === command.symbol) && (command.includeExternal || !p.external));
    for (const position of positions) {
      const clientOrderId = flattenOrderId(envelope.id, position.positionId);
      const magic = Number.isSafeInteger(position.magic) && position.magic <= 2_147_483_647 && !position.external ? position.magic : 0;
      const existing = await this.context.store.find(clientOrderId);
      if (existing) await this.executor.drive(existing, { ...control, resumed: true });
      else await this.openClosingOrder(envelope, position, { clientOrderId, magic, volume: position.volume }, control);
    }
    const resting = (await this.context.store.listByStatus(command.account, ['ACCEPTED', 'PARTIALLY_FILLED']))
      .filter((o) => o.orderType !== 'MARKET' && (command.symbol === undefined || o.symbol === command.symbol));
    for (const order of resting) await this.removeResting(order, `flatten-all: ${command.reason}`);
  }

  async cancel(envelope: CancelOrderEnvelope, control: CommandControl): Promise<OrderRecord | undefined> {
    const command = envelope.data;
    this.assertAccount(command.account);
    const order = await this.context.store.find(command.clientOrderId);
    if (!order) {
      this.context.logger.warn({ clientOrderId: command.clientOrderId }, 'EXEC.ORDER_NOT_FOUND: nothing to cancel');
      return undefined;
    }
    if (order.status === 'NEW') {
      return this.context.lock.run(async () => {
        const fresh = (await this.context.store.find(order.clientOrderId))!;
        if (fresh.status !== 'NEW') return fresh;
        const result = await commitAndPublish(this.context, { transitions: [Transitions.cancelled(fresh, this.context.clock.now(), command.reason)] });
        return result.orders.get(fresh.clientOrderId)!;
      });
    }
    if ((order.status === 'ACCEPTED' || order.status === 'PARTIALLY_FILLED') && order.orderType !== 'MARKET') {
      const wait = await this.context.gate.waitUntilReady(new Date(command.validUntil), control.signal, control.keepAlive);
      if (wait.kind === 'stopped') throw new AppError('EXEC.BRIDGE_DISCONNECTED', 'cancel waiting for the bridge; service stopping', { retryable: true });
      if (wait.kind === 'ready') return this.removeResting(order, command.reason);
      this.context.logger.error({ clientOrderId: order.clientOrderId }, 'EXEC.COMMAND_EXPIRED: cancel passed its validUntil before the bridge was ready');
      return order;
    }
    this.context.logger.info({ clientOrderId: order.clientOrderId, status: order.status }, 'cancel: the order does not rest at the venue; nothing to cancel');
    return order;
  }

  private async openClosingOrder(
    envelope: Envelope, position: PositionRecord, fields: { clientOrderId: string; magic: number; volume: string }, control: CommandControl,
  ): Promise<OrderRecord> {
    const deadline = (envelope.data as { validUntil: string }).validUntil;
    const { order, created } = await this.context.store.create({
      clientOrderId: fields.clientOrderId, account: this.context.account, magic: fields.magic, comment: mt5CommentFor(fields.clientOrderId),
      symbol: position.symbol, side: position.side === 'BUY' ? 'SELL' : 'BUY', orderType: 'MARKET', volume: fields.volume, price: null,
      stopLoss: null, takeProfit: null, validUntil: new Date(deadline), signalId: null, strategyId: position.strategyId,
      origin: originOf(envelope, position.positionId),
    }, this.context.clock.now());
    return this.executor.drive(order, { ...control, resumed: !created });
  }

  /** A position from the table; when unknown there, after reconciliation has refreshed the table. */
  private async findPosition(positionId: string, deadline: Date, control: CommandControl): Promise<PositionRecord | undefined> {
    const lookup = async () => (await this.context.store.openPositions(this.context.account)).find((p) => p.positionId === positionId);
    const known = await lookup();
    if (known) return known;
    const wait = await this.context.gate.waitUntilReady(deadline, control.signal, control.keepAlive);
    if (wait.kind === 'stopped') throw new AppError('EXEC.BRIDGE_DISCONNECTED', 'close-position waiting for the bridge; service stopping', { retryable: true });
    return wait.kind === 'ready' ? lookup() : undefined;
  }

  /** Removes a pending order at the venue (MT5 REMOVE); CANCELLED when the venue confirms. */
  private async removeResting(order: OrderRecord, reason: string): Promise<OrderRecord> {
    return this.context.lock.run(async () => {
      const fresh = (await this.context.store.find(order.clientOrderId)) ?? order;
      if (!fresh.orderTicket || (fresh.status !== 'ACCEPTED' && fresh.status !== 'PARTIALLY_FILLED')) return fresh;
      try {
        const result = await withSpan('bridge trade_request remove', { kind: 'client', attributes: { 'mt5.client_order_id': fresh.clientOrderId } },
          () => this.context.terminal.trade({ action: 'REMOVE', order: fresh.orderTicket!, magic: fresh.magic, comment: fresh.comment }));
        if (classifyRetcode(result.retcode) !== 'success') {
          this.context.logger.warn({ clientOrderId: fresh.clientOrderId, retcode: result.retcode, comment: result.comment }, 'the venue refused to remove the order');
          return fresh;
        }
      } catch (error) {
        this.context.logger.warn({ err: error, clientOrderId: fresh.clientOrderId }, 'remove request failed; reconciliation finds out whether the order still rests');
        return fresh;
      }
      const committed = await commitAndPublish(this.context, { transitions: [Transitions.cancelled(fresh, this.context.clock.now(), reason)] });
      return committed.orders.get(fresh.clientOrderId) ?? fresh;
    });
  }

  private assertAccount(account: string): void {
    if (account !== this.context.account) {
      throw new AppError('EXEC.UNKNOWN_ACCOUNT', `this execution instance serves account ${this.context.account}, not ${account}`);
    }
  }
}

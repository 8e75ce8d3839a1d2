import {
  CancelOrderMessage,
  ClosePositionMessage,
  createMessage,
  OrderDeniedMessage,
  RiskDecisionMessage,
  SubmitOrderMessage,
  type Envelope,
  type IntentSummary,
  type OrderIntent,
  type RiskDecision,
  type Signal,
} from '@mt5/contracts';
import { formatVolume, type RiskIntent } from '@mt5/domain/risk';
import type { CancelOrderRequest } from '../../application/cancel-order/cancel-order.use-case.js';
import type { AskedOrder, DecisionRecord } from '../../application/decide-order/decision-record.js';
import type { OutboxMessage } from '../../application/ports.js';
import { decimalText, isoTime, priceText, stableId } from './wire-values.js';

const num = (text: string | undefined) => (text === undefined ? null : Number(text));

/** A strategy signal as risk sees it: market order, volume left to sizing, the strategy's stop. */
export function signalToIntent(signal: Signal): RiskIntent {
  return {
    intentId: signal.signalId, source: 'SIGNAL', strategyId: signal.strategyId, symbol: signal.symbol, side: signal.side,
    orderType: 'MARKET', volume: null, price: null, stopLoss: Number(signal.stopLoss), takeProfit: num(signal.takeProfit), closesPositionId: null,
  };
}

/** An operator's order intent: sized by risk when it names no volume. */
export function orderIntentToIntent(intent: OrderIntent): RiskIntent {
  return {
    intentId: intent.intentId, source: 'MANUAL', strategyId: null, symbol: intent.symbol, side: intent.side, orderType: intent.orderType,
    volume: num(intent.volume), price: num(intent.price), stopLoss: num(intent.stopLoss), takeProfit: num(intent.takeProfit), closesPositionId: null,
  };
}

/** Ids of a decision and of the order it may produce: stable per (source, intent id). */
export function decisionIds(source: string, intentId: string): { decisionId: string; clientOrderId: string } {
  return { decisionId: stableId('rd-', source, intentId), clientOrderId: stableId('rg-', source, intentId) };
}

function text(value: number | null, digits: number | null): string | undefined {
  if (value === null) return undefined;
  return digits === null ? decimalText(value) : priceText(value, digits);
}

function summary(asked: AskedOrder, digits: number | null): IntentSummary {
  const volume = asked.volume === null ? undefined : formatVolume(asked.volume);
  return {
    account: asked.account, symbol: asked.symbol, side: asked.side, orderType: asked.orderType,
    ...(volume !== undefined && { volume }),
    ...(asked.price !== null && { price: text(asked.price, digits) }),
    ...(asked.stopLoss !== null && { stopLoss: text(asked.stopLoss, digits) }),
    ...(asked.takeProfit !== null && { takeProfit: text(asked.takeProfit, digits) }),
  };
}

/** The wire form of a decision (`risk.decision` payload; also the reply to a manual intent). */
export function decisionPayload(record: DecisionRecord): RiskDecision {
  const origin = record.source === 'SIGNAL' ? { signalId: record.intentId } : { intentId: record.intentId };
  const allowed = record.outcome === 'ALLOW';
  return {
    decisionId: record.decisionId, source: record.source, ...origin, intent: summary(record.asked, record.digits), outcome: record.outcome,
    ...(record.code !== null && { code: record.code }),
    context: record.context, message: record.message.slice(0, 1000),
    ...(allowed && record.volume !== null && { volume: formatVolume(record.volume) }),
    ...(allowed && record.clientOrderId !== null && { clientOrderId: record.clientOrderId }),
    decidedAt: isoTime(record.decidedAt),
  };
}

export interface DecisionMessageOptions {
  readonly cause: Pick<Envelope, 'id' | 'correlationId'>;
  readonly now: Date;
  readonly commandValidityMs: number;
  /** Who asked, for a close-position command's reason. */
  readonly requestedBy: string | null;
}

/** The order command an allowed decision sends: submit-order, or close-position for a close by position id. */
function orderCommand(record: DecisionRecord, options: DecisionMessageOptions): OutboxMessage {
  const { asked, digits } = record;
  const clientOrderId = record.clientOrderId ?? '';
  const base = { tsEvent: isoTime(record.decidedAt), tsInit: options.now, cause: options.cause, id: stableId('oc-', record.decisionId) };
  const validUntil = isoTime(options.now.getTime() + options.commandValidityMs);
  const volume = formatVolume(record.volume ?? 0);
  if (asked.closesPositionId !== null) {
    const data = {
      clientOrderId, account: asked.account, positionId: asked.closesPositionId, symbol: asked.symbol, volume, magic: record.magic ?? 0,
      comment: clientOrderId, reason: `close requested by ${options.requestedBy ?? 'an operator'}`, validUntil,
    };
    return { subject: ClosePositionMessage.subject(data), envelope: createMessage(ClosePositionMessage, { ...base, data }) };
  }
  const data = {
    clientOrderId, account: asked.account, symbol: asked.symbol, side: asked.side, orderType: asked.orderType, volume,
    ...(record.price !== null && { price: text(record.price, digits) }),
    ...(asked.stopLoss !== null && { stopLoss: text(asked.stopLoss, digits) }),
    ...(asked.takeProfit !== null && { takeProfit: text(asked.takeProfit, digits) }),
    magic: record.magic ?? 0, comment: clientOrderId, validUntil,
    ...(record.source === 'SIGNAL' && { signalId: record.intentId }),
    ...(record.strategyId !== null && { strategyId: record.strategyId }),
  };
  return { subject: SubmitOrderMessage.subject(data), envelope: createMessage(SubmitOrderMessage, { ...base, data }) };
}

/**
 * What a decision publishes: the audit event `risk.evt.decision`, then exactly one of the order
 * command (`exec.cmd.<account>.submit-order` or `.close-position`) or the denial `risk.evt.denied`.
 */
export function decisionMessages(record: DecisionRecord, options: DecisionMessageOptions): OutboxMessage[] {
  const payload = decisionPayload(record);
  const common = { tsEvent: isoTime(record.decidedAt), tsInit: options.now, cause: options.cause };
  const audit = createMessage(RiskDecisionMessage, { ...common, id: stableId('dv-', record.decisionId), data: payload });
  const messages: OutboxMessage[] = [{ subject: RiskDecisionMessage.subject(payload), envelope: audit }];
  if (record.outcome === 'ALLOW') {
    messages.push(orderCommand(record, options));
  } else {
    const origin = record.source === 'SIGNAL' ? { signalId: record.intentId } : { intentId: record.intentId };
    const data = {
      decisionId: record.decisionId, source: record.source, ...origin, account: record.asked.account, symbol: record.asked.symbol,
      side: record.asked.side, code: record.code ?? missingCode(record.decisionId), context: record.context, message: payload.message, decidedAt: payload.decidedAt,
    };
    messages.push({ subject: OrderDeniedMessage.subject(data), envelope: createMessage(OrderDeniedMessage, { ...common, id: stableId('dn-', record.decisionId), data }) });
  }
  return messages;
}

function missingCode(decisionId: string): never {
  throw new Error(`decision ${decisionId} is a DENY without a code`);
}

/** Envelope ids a decision's messages carry, to find its outbox rows again. */
export function decisionMessageIds(decisionId: string): string[] {
  return [stableId('dv-', decisionId), stableId('oc-', decisionId), stableId('dn-', decisionId)];
}

/** `exec.cmd.<account>.cancel-order` for an operator's cancel; its id is stable per intent id. */
export function cancelOrderMessage(request: CancelOrderRequest, now: Date, cause: Pick<Envelope, 'id' | 'correlationId'>, validityMs: number): OutboxMessage {
  const data = {
    clientOrderId: request.clientOrderId, account: request.account, reason: (request.reason ?? `cancel requested by ${request.requestedBy}`).slice(0, 500),
    validUntil: isoTime(now.getTime() + validityMs),
  };
  const envelope = createMessage(CancelOrderMessage, { id: stableId('cx-', request.intentId), data, tsEvent: now, tsInit: now, cause });
  return { subject: CancelOrderMessage.subject(data), envelope };
}

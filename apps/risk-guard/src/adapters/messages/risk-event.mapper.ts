import {
  BreakerChangedMessage,
  createMessage,
  FlattenAllMessage,
  TradingStateChangedMessage,
  type AnyMessageDefinition,
  type Envelope,
  type PayloadOf,
} from '@mt5/contracts';
import type { RiskEvent } from '@mt5/domain/risk';
import type { OutboxMessage } from '../../application/ports.js';
import { decimalText, isoTime, stableId } from './wire-values.js';

export interface RiskEventMessageOptions {
  /** The message (signal, execution event, command id) the events follow from. */
  readonly cause: Pick<Envelope, 'id' | 'correlationId'>;
  readonly now: Date;
  /** Deadline of a flatten-all command. */
  readonly commandValidityMs: number;
  readonly flattenIncludesExternal: boolean;
}

const clip = (text: string, max = 500) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function message<D extends AnyMessageDefinition>(definition: D, data: PayloadOf<D>, id: string, tsEvent: number, options: RiskEventMessageOptions): OutboxMessage {
  const envelope = createMessage(definition, { id, data, tsEvent: isoTime(tsEvent), tsInit: options.now, cause: options.cause });
  return { subject: definition.subject(data), envelope };
}

/**
 * The bus messages of the risk state's events: `risk.evt.state`, `risk.evt.breaker`, and the
 * flatten-all order command the kill switch asks for. Ids derive from the cause and the event's
 * position among its siblings, so a redone transaction writes the same ids.
 */
export function riskEventMessages(events: readonly RiskEvent[], options: RiskEventMessageOptions): OutboxMessage[] {
  return events.map((event, index) => {
    const id = stableId('re-', options.cause.id, String(index), event.type);
    switch (event.type) {
      case 'TRADING_STATE_CHANGED':
        return message(TradingStateChangedMessage, {
          account: event.account, from: event.from, to: event.to, by: clip(event.by, 128), reason: clip(event.reason), time: isoTime(event.time),
        }, id, event.time, options);
      case 'BREAKER_CHANGED': {
        // The wire event has no strategy field; a per-strategy breaker names it in the reason.
        const reason = event.strategyId ? `strategy ${event.strategyId}: ${event.reason}` : event.reason;
        const figures = Object.fromEntries(Object.entries(event.figures).map(([key, value]) => [key, decimalText(value)]));
        return message(BreakerChangedMessage, {
          account: event.account, breaker: event.breaker, state: event.state, previousState: event.previousState, figures,
          reason: clip(reason), time: isoTime(event.time),
        }, id, event.time, options);
      }
      case 'FLATTEN_ALL_REQUESTED':
        return message(FlattenAllMessage, {
          account: event.account, includeExternal: options.flattenIncludesExternal, reason: clip(event.reason),
          requestedBy: clip(event.by, 128), validUntil: isoTime(options.now.getTime() + options.commandValidityMs),
        }, stableId('fa-', options.cause.id, String(index)), event.time, options);
    }
  });
}

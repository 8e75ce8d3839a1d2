import { describe, expect, it } from '@jest/globals';
import { createMessage } from './message-definition.js';
import { exampleFor } from './message-examples.fixture.js';
import { AllMessages, parseMessage } from './message-registry.js';
import { TickMessage } from './market-data.schemas.js';

const tsEvent = '2022-01-04T10:05:00.000Z';
const tsInit = '2022-01-04T10:05:00.250Z';

describe('the message registry', () => {
  it('registers each type and version once', () => {
    const keys = AllMessages.map((definition) => `${definition.type}@${definition.v}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('routes every message to its subject', () => {
    expect(Object.fromEntries(AllMessages.map((definition) => [definition.type, definition.subject(exampleFor(definition) as never)]))).toEqual({
      'md.bar.closed': 'md.bar.mt5-demo.EURUSD.M1',
      'md.tick': 'md.tick.mt5-demo.XAUUSD',
      'sig.signal': 'sig.evt.sma-cross-eurusd-m5.EURUSD',
      'risk.submit-order-intent': 'risk.ctl.order-intent',
      'exec.submit-order': 'exec.cmd.12345678.submit-order',
      'exec.cancel-order': 'exec.cmd.12345678.cancel-order',
      'exec.close-position': 'exec.cmd.12345678.close-position',
      'exec.flatten-all': 'exec.cmd.12345678.flatten-all',
      'exec.order.submitted': 'exec.evt.12345678.order',
      'exec.order.accepted': 'exec.evt.12345678.order',
      'exec.order.partially-filled': 'exec.evt.12345678.order',
      'exec.order.filled': 'exec.evt.12345678.order',
      'exec.order.cancelled': 'exec.evt.12345678.order',
      'exec.order.rejected': 'exec.evt.12345678.order',
      'exec.order.expired': 'exec.evt.12345678.order',
      'exec.order.unknown': 'exec.evt.12345678.order',
      'exec.deal.executed': 'exec.evt.12345678.deal',
      'exec.position.snapshot': 'exec.evt.12345678.position',
      'exec.position.closed': 'exec.evt.12345678.position',
      'exec.account.snapshot': 'exec.evt.12345678.account',
      'exec.bridge.health': 'exec.evt.12345678.bridge',
      'risk.decision': 'risk.evt.decision',
      'risk.order-denied': 'risk.evt.denied',
      'risk.trading-state.changed': 'risk.evt.state',
      'risk.breaker.changed': 'risk.evt.breaker',
      'svc.health': 'exec.qry.health',
    });
  });

  describe.each(AllMessages.map((definition) => [definition.type, definition] as const))('%s', (_type, definition) => {
    it('accepts the example payload and its envelope survives JSON', () => {
      const envelope = createMessage(definition, { id: 'msg-1', data: exampleFor(definition), tsEvent, tsInit });
      const result = parseMessage(JSON.stringify(envelope));
      expect(result).toEqual({ ok: true, definition, envelope });
    });

    it('rejects an unknown payload field by name', () => {
      const data = { ...(exampleFor(definition) as object), surprise: 1 };
      const result = definition.payload.safeParse(data);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.message)).toContain('Unrecognized key: "surprise"');
    });
  });
});

describe('parseMessage', () => {
  const valid = createMessage(TickMessage, { id: 'msg-1', data: exampleFor(TickMessage), tsEvent, tsInit });

  it('reads bytes as well as text', () => {
    expect(parseMessage(new TextEncoder().encode(JSON.stringify(valid))).ok).toBe(true);
  });

  it.each([
    ['text that is not JSON', '{"type":', 'MSG.MALFORMED', /^not UTF-8 JSON: /],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), 'MSG.MALFORMED', /^not UTF-8 JSON: /],
    ['JSON that is not an object', '[1,2]', 'MSG.SCHEMA_VIOLATION', /^message is not a JSON object$/],
    ['a type nobody registered', JSON.stringify({ ...valid, type: 'md.candle' }), 'MSG.UNKNOWN_TYPE', /^no schema for type "md.candle"$/],
    ['a version nobody registered', JSON.stringify({ ...valid, v: 9 }), 'MSG.UNSUPPORTED_VERSION', /^md.tick v9 is not supported \(known: 1\)$/],
  ])('classifies %s', (_name, raw, code, message) => {
    const result = parseMessage(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message).toMatch(message);
    }
  });

  it('explains a schema violation on one line, with paths, and keeps the id for the DLQ', () => {
    const raw = JSON.stringify({ ...valid, data: { ...valid.data, bid: 'NaN', extra: true } });
    expect(parseMessage(raw)).toEqual({
      ok: false,
      code: 'MSG.SCHEMA_VIOLATION',
      id: 'msg-1',
      message:
        'md.tick v1: data.bid: expected a non-negative plain decimal string such as "1.08525" (no exponent, NaN or Infinity), got "NaN"; data: Unrecognized key: "extra"',
    });
  });

  it('only accepts the definitions a consumer lists', () => {
    const result = parseMessage(JSON.stringify(valid), AllMessages.filter((definition) => definition.type !== 'md.tick'));
    expect(result.ok ? 'ok' : result.code).toBe('MSG.UNKNOWN_TYPE');
  });
});

describe('createMessage', () => {
  it('refuses to build an envelope around an invalid payload', () => {
    expect(() => createMessage(TickMessage, { id: 'msg-1', data: { ...exampleFor(TickMessage), ask: '1e3' }, tsEvent, tsInit })).toThrow(
      'createMessage(md.tick v1): data.ask: expected a non-negative plain decimal string such as "1.08525" (no exponent, NaN or Infinity), got "1e3"',
    );
  });

  it('refuses a local-time timestamp', () => {
    expect(() => createMessage(TickMessage, { id: 'msg-1', data: exampleFor(TickMessage), tsEvent: '2022-01-04T12:05:00+02:00', tsInit })).toThrow(
      /tsEvent: expected an ISO-8601 UTC timestamp/,
    );
  });
});

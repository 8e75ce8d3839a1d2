import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  Consumers,
  decodeSymbol,
  encodeSymbol,
  ExecutionEventNames,
  OrderCommandNames,
  RiskEventNames,
  ServiceNames,
  Streams,
  Subjects,
} from './names.js';

describe('Subjects renders every subject exactly', () => {
  it.each([
    ['bar', Subjects.bar('mt5-demo', 'EURUSD', 'M1'), 'md.bar.mt5-demo.EURUSD.M1'],
    ['bar with a dotted symbol', Subjects.bar('mt5-demo', 'EURUSD.m', 'H4'), 'md.bar.mt5-demo.EURUSD~2Em.H4'],
    ['allBars', Subjects.allBars(), 'md.bar.>'],
    ['tick', Subjects.tick('mt5-demo', 'US30#'), 'md.tick.mt5-demo.US30~23'],
    ['allTicks', Subjects.allTicks(), 'md.tick.>'],
    ['signal', Subjects.signal('sma-cross-eurusd-m5', 'BTC/USDT'), 'sig.evt.sma-cross-eurusd-m5.BTC~2FUSDT'],
    ['allSignals', Subjects.allSignals(), 'sig.evt.>'],
    ['orderCommand submit-order', Subjects.orderCommand('12345678', OrderCommandNames.submitOrder), 'exec.cmd.12345678.submit-order'],
    ['orderCommand cancel-order', Subjects.orderCommand('12345678', OrderCommandNames.cancelOrder), 'exec.cmd.12345678.cancel-order'],
    ['orderCommand close-position', Subjects.orderCommand('12345678', OrderCommandNames.closePosition), 'exec.cmd.12345678.close-position'],
    ['orderCommand flatten-all', Subjects.orderCommand('12345678', OrderCommandNames.flattenAll), 'exec.cmd.12345678.flatten-all'],
    ['accountCommands', Subjects.accountCommands('12345678'), 'exec.cmd.12345678.>'],
    ['allOrderCommands', Subjects.allOrderCommands(), 'exec.cmd.>'],
    ['executionEvent order', Subjects.executionEvent('12345678', ExecutionEventNames.order), 'exec.evt.12345678.order'],
    ['executionEvent deal', Subjects.executionEvent('12345678', ExecutionEventNames.deal), 'exec.evt.12345678.deal'],
    ['executionEvent position', Subjects.executionEvent('12345678', ExecutionEventNames.position), 'exec.evt.12345678.position'],
    ['executionEvent account', Subjects.executionEvent('12345678', ExecutionEventNames.account), 'exec.evt.12345678.account'],
    ['executionEvent bridge', Subjects.executionEvent('12345678', ExecutionEventNames.bridge), 'exec.evt.12345678.bridge'],
    ['allExecutionEvents', Subjects.allExecutionEvents(), 'exec.evt.>'],
    ['riskEvent decision', Subjects.riskEvent(RiskEventNames.decision), 'risk.evt.decision'],
    ['riskEvent denied', Subjects.riskEvent(RiskEventNames.denied), 'risk.evt.denied'],
    ['riskEvent state', Subjects.riskEvent(RiskEventNames.state), 'risk.evt.state'],
    ['riskEvent breaker', Subjects.riskEvent(RiskEventNames.breaker), 'risk.evt.breaker'],
    ['allRiskEvents', Subjects.allRiskEvents(), 'risk.evt.>'],
    ['deadLetter', Subjects.deadLetter('SIGNALS', 'risk-guard-signals'), 'dlq.SIGNALS.risk-guard-signals'],
    ['allDeadLetters', Subjects.allDeadLetters(), 'dlq.>'],
    ['query', Subjects.query('reporting', 'trades'), 'rpt.qry.trades'],
    ['command', Subjects.command('risk-guard', 'order-intent'), 'risk.ctl.order-intent'],
  ])('%s', (_name, rendered, expected) => {
    expect(rendered).toBe(expected);
  });

  it('renders the health subject of every service', () => {
    expect(Object.fromEntries(ServiceNames.map((service) => [service, Subjects.health(service)]))).toEqual({
      'market-data': 'md.qry.health',
      'signal-engine': 'sig.qry.health',
      'risk-guard': 'risk.qry.health',
      execution: 'exec.qry.health',
      'mt5-simulator': 'sim.qry.health',
      reporting: 'rpt.qry.health',
      'ops-gateway': 'ops.qry.health',
    });
  });

  it('keeps control commands of execution out of the EXEC_CMD work queue', () => {
    expect(Subjects.command('execution', 'reconcile')).toBe('exec.ctl.reconcile');
  });

  it.each([
    ['a venue with a dot', () => Subjects.bar('mt5.demo', 'EURUSD', 'M1')],
    ['an account with a wildcard', () => Subjects.accountCommands('*')],
    ['an empty strategy', () => Subjects.signal('', 'EURUSD')],
    ['a command with whitespace', () => Subjects.orderCommand('12345678', 'submit order')],
    ['an event with a tail wildcard', () => Subjects.riskEvent('>')],
  ])('refuses %s as a subject token', (_name, render) => {
    expect(render).toThrow(/is not a valid subject token/);
  });
});

describe('Streams', () => {
  it('declares every stream with its subjects, retention, ages and description', () => {
    expect(
      Object.values(Streams).map((s) => `${s.name} [${s.subjects.join(',')}] ${s.retention} age=${s.maxAgeSeconds} dup=${s.duplicateWindowSeconds}`),
    ).toEqual([
      'MD_BARS [md.bar.>] limits age=2592000 dup=600',
      'MD_TICKS [md.tick.>] limits age=3600 dup=60',
      'SIGNALS [sig.evt.>] limits age=7776000 dup=600',
      'EXEC_CMD [exec.cmd.>] workqueue age=604800 dup=600',
      'EXEC_EVT [exec.evt.>] limits age=31536000 dup=600',
      'RISK_EVT [risk.evt.>] limits age=31536000 dup=600',
      'DLQ [dlq.>] limits age=0 dup=120',
    ]);
  });

  it('gives every stream a description an operator can read', () => {
    for (const stream of Object.values(Streams)) expect(stream.description.length).toBeGreaterThan(20);
  });
});

describe('Consumers', () => {
  it('declares every durable consumer with its stream, filter and delivery limits', () => {
    const { executionCommands, ...fixed } = Consumers;
    const render = (c: { stream: string; durable: string; filterSubjects: readonly string[]; maxDeliver: number; ackWaitSeconds: number }) =>
      `${c.stream}/${c.durable} [${c.filterSubjects.join(',')}] maxDeliver=${c.maxDeliver} ackWait=${c.ackWaitSeconds}`;
    expect(Object.values(fixed).map(render)).toEqual([
      'MD_BARS/signal-engine-bars [md.bar.>] maxDeliver=10 ackWait=30',
      'SIGNALS/risk-guard-signals [sig.evt.>] maxDeliver=10 ackWait=30',
      'EXEC_EVT/risk-guard-exec-events [exec.evt.>] maxDeliver=10 ackWait=30',
      'MD_TICKS/market-data-ticks [md.tick.>] maxDeliver=10 ackWait=30',
      'EXEC_EVT/reporting-exec-events [exec.evt.>] maxDeliver=10 ackWait=30',
      'RISK_EVT/reporting-risk-events [risk.evt.>] maxDeliver=10 ackWait=30',
    ]);
    expect(render(executionCommands('12345678'))).toBe('EXEC_CMD/execution-12345678 [exec.cmd.12345678.>] maxDeliver=10 ackWait=10');
    expect(executionCommands('12345678').description).toBe('execution: order commands for account 12345678');
  });

  it('refuses an account that would widen the execution filter', () => {
    expect(() => Consumers.executionCommands('1234.>')).toThrow(/is not a valid subject token/);
  });
});

describe('encodeSymbol', () => {
  it.each([
    ['EURUSD', 'EURUSD'],
    ['EURUSD.m', 'EURUSD~2Em'],
    ['US30#', 'US30~23'],
    ['BTC/USDT', 'BTC~2FUSDT'],
    ['a~b', 'a~7Eb'],
    ['GER 40', 'GER~2040'],
    ['€', '~E2~82~AC'],
    ['\uFEFFEURUSD', '~EF~BB~BFEURUSD'],
    ['𝔼', '~F0~9D~94~BC'],
  ])('encodes %j as %j', (symbol, token) => {
    expect(encodeSymbol(symbol)).toBe(token);
    expect(decodeSymbol(token)).toBe(symbol);
  });

  it('round-trips any well-formed string and never emits a character NATS treats specially', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (symbol) => {
        const token = encodeSymbol(symbol);
        expect(token).not.toMatch(/[.*>\s]/);
        expect(token).toMatch(/^[A-Za-z0-9_~-]+$/);
        expect(decodeSymbol(token)).toBe(symbol);
      }),
      { numRuns: 1000 },
    );
  });

  it('maps different symbols to different tokens', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        expect(encodeSymbol(a)).not.toBe(encodeSymbol(b));
      }),
    );
  });

  it('refuses an empty symbol and a lone surrogate, which UTF-8 cannot carry', () => {
    expect(() => encodeSymbol('')).toThrow('empty symbol');
    expect(() => encodeSymbol('EUR\uD800')).toThrow(/not well-formed/);
    expect(() => encodeSymbol('\uDC00USD')).toThrow(/not well-formed/);
  });

  it('decodes only canonical tokens', () => {
    expect(() => decodeSymbol('EURUSD.m')).toThrow(/not an encoded symbol/);
    expect(() => decodeSymbol('EUR~2e')).toThrow(/not an encoded symbol/);
    expect(() => decodeSymbol('~41')).toThrow(/canonical/);
    expect(() => decodeSymbol('~FF')).toThrow(/UTF-8/);
  });
});

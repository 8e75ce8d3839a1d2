import { describe, expect, it } from '@jest/globals';
import { spansOfRequest, type ReceivedSpan } from './otlp-receiver.fixture.js';
import { ancestors, checkChain, detached } from './trace-tree.fixture.js';

const span = (service: string, name: string, spanId: string, parentSpanId: string): ReceivedSpan => ({
  service, name, spanId, parentSpanId, traceId: 't', kind: 1, attributes: {}, startTimeUnixNano: '0',
});

describe('spansOfRequest', () => {
  it('flattens an OTLP/JSON export with the service name of its resource, ids in hex', () => {
    const body = {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'risk-guard' } }] },
        scopeSpans: [{
          spans: [{
            traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', parentSpanId: '', name: 'risk.decide', kind: 1,
            startTimeUnixNano: '1611568860000000000', attributes: [{ key: 'mt5.account', value: { stringValue: 'paper-1' } }, { key: 'n', value: { intValue: '3' } }],
          }],
        }],
      }],
    };
    expect(spansOfRequest(body)).toEqual([{
      service: 'risk-guard', traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', parentSpanId: '', name: 'risk.decide', kind: 1,
      attributes: { 'mt5.account': 'paper-1', n: 3 }, startTimeUnixNano: '1611568860000000000',
    }]);
  });

  it('reads ids the protobuf JSON mapping writes in base64', () => {
    const [parsed] = spansOfRequest({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64'), spanId: Buffer.from('0011223344556677', 'hex').toString('base64'), name: 'x' }] }] }] });
    expect([parsed!.service, parsed!.traceId, parsed!.spanId]).toEqual(['unknown', '00112233445566778899aabbccddeeff', '0011223344556677']);
  });
});

describe('trace tree checks', () => {
  const spans = [
    span('market-data', 'query md.ctl.replay', 'a', 'root'),
    span('signal-engine', 'consume signal-engine-bars', 'b', 'a'),
    span('signal-engine', 'signal s EURUSD', 'c', 'b'),
    span('risk-guard', 'consume risk-guard-signals', 'd', 'elsewhere'),
  ];

  it('walks parent links up to the first span whose parent is not in the trace', () => {
    expect(ancestors(spans, spans[2]!).map((s) => s.spanId)).toEqual(['b', 'a']);
  });

  it('marks the step whose span does not descend from the previous one, and the spans cut off from the tree', () => {
    const steps = [
      { what: 'bar', service: 'market-data', name: 'query md.ctl.replay' },
      { what: 'signal', service: 'signal-engine', name: 'signal s EURUSD' },
      { what: 'decision', service: 'risk-guard', name: 'consume risk-guard-signals' },
      { what: 'order', service: 'execution', name: 'consume execution-a' },
    ];
    expect(checkChain(spans, steps)).toEqual([
      { what: 'bar', span: 'market-data: query md.ctl.replay', descendsFromPrevious: true },
      { what: 'signal', span: 'signal-engine: signal s EURUSD', descendsFromPrevious: true },
      { what: 'decision', span: 'risk-guard: consume risk-guard-signals', descendsFromPrevious: false },
      { what: 'order', span: 'missing', descendsFromPrevious: false },
    ]);
    expect(detached(spans, 'root')).toEqual(['risk-guard: consume risk-guard-signals (parent elsewhere)']);
  });
});

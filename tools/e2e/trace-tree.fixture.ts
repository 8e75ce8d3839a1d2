import type { ReceivedSpan } from './otlp-receiver.fixture.js';

/** One link of the chain a bar's trace must hold, in order from the bar to the reporting write. */
export interface ChainStep {
  readonly what: string;
  readonly service: string;
  readonly name: string;
  /** Extra condition (a subject, a message type). */
  readonly where?: (span: ReceivedSpan) => boolean;
}

export interface ChainCheck {
  readonly what: string;
  /** `service: span name`, or `missing`. */
  readonly span: string;
  /** The previous step's span is an ancestor of this one (true for the first step). */
  readonly descendsFromPrevious: boolean;
}

const label = (span: ReceivedSpan) => `${span.service}: ${span.name}`;

/** The span's ancestors inside `spans`, nearest first, up to the first whose parent is not there. */
export function ancestors(spans: readonly ReceivedSpan[], span: ReceivedSpan): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: ReceivedSpan[] = [];
  const seen = new Set<string>([span.spanId]);
  let parent = byId.get(span.parentSpanId);
  while (parent && !seen.has(parent.spanId)) {
    chain.push(parent);
    seen.add(parent.spanId);
    parent = byId.get(parent.parentSpanId);
  }
  return chain;
}

/**
 * Finds each step's span in one trace and checks that each descends from the previous step's
 * span (parent links, not only a shared trace id). Of several candidates for a step, the one that
 * descends from the previous step is taken.
 */
export function checkChain(spans: readonly ReceivedSpan[], steps: readonly ChainStep[]): ChainCheck[] {
  const result: ChainCheck[] = [];
  let previous: ReceivedSpan | undefined;
  for (const [index, step] of steps.entries()) {
    const candidates = spans.filter((span) => span.service === step.service && span.name === step.name && (step.where?.(span) ?? true));
    const linked = previous ? candidates.find((span) => ancestors(spans, span).some((a) => a.spanId === previous!.spanId)) : candidates[0];
    const chosen = linked ?? candidates[0];
    result.push({ what: step.what, span: chosen ? label(chosen) : 'missing', descendsFromPrevious: index === 0 ? chosen !== undefined : linked !== undefined });
    previous = chosen ?? previous;
  }
  return result;
}

/** Spans whose parent is neither in the trace nor the allowed root parent (the request that started it). */
export function detached(spans: readonly ReceivedSpan[], rootParentSpanId: string): string[] {
  const ids = new Set(spans.map((span) => span.spanId));
  return spans.filter((span) => span.parentSpanId !== rootParentSpanId && !ids.has(span.parentSpanId)).map((span) => `${label(span)} (parent ${span.parentSpanId || 'none'})`);
}

/** The trace as an indented tree, for failure messages. */
export function renderTree(spans: readonly ReceivedSpan[]): string {
  const children = new Map<string, ReceivedSpan[]>();
  const ids = new Set(spans.map((span) => span.spanId));
  for (const span of spans) children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
  const lines: string[] = [];
  const walk = (span: ReceivedSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${label(span)}${span.attributes['messaging.destination.name'] ? ` [${span.attributes['messaging.destination.name']}]` : ''}`);
    for (const child of (children.get(span.spanId) ?? []).sort((a, b) => a.startTimeUnixNano.localeCompare(b.startTimeUnixNano))) walk(child, depth + 1);
  };
  for (const root of spans.filter((span) => !ids.has(span.parentSpanId))) walk(root, 0);
  return lines.join('\n');
}

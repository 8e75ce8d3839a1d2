/**
 * Every subject, stream, consumer and queue name in the system is rendered here, and nowhere
 * else. A snapshot test renders each one (names.spec.ts).
 */

/** Subject token alphabet: NATS forbids `.`, `*`, `>` and whitespace inside a token. */
const TOKEN_SAFE = /^[A-Za-z0-9_-]+$/;

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Encodes a broker symbol (`EURUSD.m`, `US30#`, `BTC/USDT`) as exactly one subject token.
 * Letters, digits, `_` and `-` pass through; any other character becomes `~XX` (hex of its
 * UTF-8 byte). `~` itself is escaped, so decoding is exact.
 *
 * Throws on an empty symbol and on a string with an unpaired UTF-16 surrogate: UTF-8 cannot hold
 * one, so two different strings would share a subject.
 */
export function encodeSymbol(symbol: string): string {
  if (symbol.length === 0) throw new Error('encodeSymbol: empty symbol');
  if (LONE_SURROGATE.test(symbol)) throw new Error(`encodeSymbol: ${JSON.stringify(symbol)} is not well-formed UTF-16`);
  let out = '';
  for (const byte of new TextEncoder().encode(symbol)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && /[A-Za-z0-9_-]/.test(ch) ? ch : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Inverse of {@link encodeSymbol}. Accepts only what the encoder produces (canonical escapes of
 * valid UTF-8), so every symbol has exactly one token and every token at most one symbol.
 */
export function decodeSymbol(token: string): string {
  if (!/^(?:[A-Za-z0-9_-]|~[0-9A-F]{2})+$/.test(token)) throw new Error(`decodeSymbol: "${token}" is not an encoded symbol`);
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '~') {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(token.charCodeAt(i));
    }
  }
  let symbol: string;
  try {
    symbol = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes));
  } catch {
    throw new Error(`decodeSymbol: "${token}" does not decode to UTF-8`);
  }
  if (encodeSymbol(symbol) !== token) throw new Error(`decodeSymbol: "${token}" is not in canonical form`);
  return symbol;
}

function token(kind: string, value: string): string {
  if (!TOKEN_SAFE.test(value)) throw new Error(`${kind} "${value}" is not a valid subject token`);
  return value;
}

export const Timeframes = ['M1', 'M5', 'M15', 'M30', 'H1', 'H4', 'D1'] as const;
export type Timeframe = (typeof Timeframes)[number];

export const ServiceNames = [
  'market-data', 'signal-engine', 'risk-guard', 'execution', 'mt5-simulator', 'reporting', 'ops-gateway',
] as const;
export type ServiceName = (typeof ServiceNames)[number];

/** Short subject prefix per service for request/reply queries: `<prefix>.qry.<name>`. */
export const ServiceSubjectPrefix: Record<ServiceName, string> = {
  'market-data': 'md',
  'signal-engine': 'sig',
  'risk-guard': 'risk',
  execution: 'exec',
  'mt5-simulator': 'sim',
  reporting: 'rpt',
  'ops-gateway': 'ops',
};

/** Order command tokens (`exec.cmd.<account>.<command>`); each matches its message type `exec.<command>`. */
export const OrderCommandNames = {
  submitOrder: 'submit-order',
  cancelOrder: 'cancel-order',
  closePosition: 'close-position',
  flattenAll: 'flatten-all',
} as const;
export type OrderCommandName = (typeof OrderCommandNames)[keyof typeof OrderCommandNames];

/** Execution event tokens (`exec.evt.<account>.<event>`). */
export const ExecutionEventNames = {
  order: 'order',
  deal: 'deal',
  position: 'position',
  account: 'account',
  bridge: 'bridge',
} as const;
export type ExecutionEventName = (typeof ExecutionEventNames)[keyof typeof ExecutionEventNames];

/** Risk event tokens (`risk.evt.<event>`). */
export const RiskEventNames = {
  decision: 'decision',
  denied: 'denied',
  state: 'state',
  breaker: 'breaker',
} as const;
export type RiskEventName = (typeof RiskEventNames)[keyof typeof RiskEventNames];

export const Subjects = {
  /** A closed bar: `md.bar.<venue>.<symbol>.<tf>`. */
  bar: (venue: string, symbol: string, timeframe: Timeframe) =>
    `md.bar.${token('venue', venue)}.${encodeSymbol(symbol)}.${token('timeframe', timeframe)}`,
  allBars: () => 'md.bar.>',
  /** A live quote: `md.tick.<venue>.<symbol>`. */
  tick: (venue: string, symbol: string) => `md.tick.${token('venue', venue)}.${encodeSymbol(symbol)}`,
  allTicks: () => 'md.tick.>',
  /** A signal: `sig.evt.<strategy>.<symbol>`. */
  signal: (strategy: string, symbol: string) => `sig.evt.${token('strategy', strategy)}.${encodeSymbol(symbol)}`,
  allSignals: () => 'sig.evt.>',
  /** An order command for one account: `exec.cmd.<account>.<command>`; commands in {@link OrderCommandNames}. */
  orderCommand: (account: string, command: string) => `exec.cmd.${token('account', account)}.${token('command', command)}`,
  accountCommands: (account: string) => `exec.cmd.${token('account', account)}.>`,
  allOrderCommands: () => 'exec.cmd.>',
  /** An execution event: `exec.evt.<account>.<event>`; events in {@link ExecutionEventNames}. */
  executionEvent: (account: string, event: string) => `exec.evt.${token('account', account)}.${token('event', event)}`,
  allExecutionEvents: () => 'exec.evt.>',
  /** A risk event: `risk.evt.<event>`; events in {@link RiskEventNames}. */
  riskEvent: (event: string) => `risk.evt.${token('event', event)}`,
  allRiskEvents: () => 'risk.evt.>',
  /** Where a consumer parks a message it cannot handle: `dlq.<stream>.<consumer>`. */
  deadLetter: (stream: string, consumer: string) => `dlq.${token('stream', stream)}.${token('consumer', consumer)}`,
  allDeadLetters: () => 'dlq.>',
  /** Request/reply query: `<service-prefix>.qry.<name>`. */
  query: (service: ServiceName, name: string) => `${ServiceSubjectPrefix[service]}.qry.${token('query', name)}`,
  /**
   * Request/reply control command (not streamed): `<service-prefix>.ctl.<name>`. Not `.cmd.`:
   * `exec.cmd.>` is the EXEC_CMD work-queue stream, which would capture execution's control requests.
   */
  command: (service: ServiceName, name: string) => `${ServiceSubjectPrefix[service]}.ctl.${token('command', name)}`,
  /** Every service answers health on `<prefix>.qry.health`. */
  health: (service: ServiceName) => `${ServiceSubjectPrefix[service]}.qry.health`,
} as const;

export const RetentionKinds = ['limits', 'workqueue'] as const;
export type RetentionKind = (typeof RetentionKinds)[number];

export interface StreamSpec {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly retention: RetentionKind;
  /** Max age in seconds; 0 keeps forever (bounded by bytes). */
  readonly maxAgeSeconds: number;
  /** Duplicate-detection window in seconds (JetStream default 120). */
  readonly duplicateWindowSeconds: number;
  readonly description: string;
}

const DAY = 86_400;

export const Streams = {
  MD_BARS: { name: 'MD_BARS', subjects: ['md.bar.>'], retention: 'limits', maxAgeSeconds: 30 * DAY, duplicateWindowSeconds: 600,
    description: 'Closed bars per venue, symbol and timeframe (md.bar.<venue>.<symbol>.<tf>); replayable market history' },
  MD_TICKS: { name: 'MD_TICKS', subjects: ['md.tick.>'], retention: 'limits', maxAgeSeconds: 3600, duplicateWindowSeconds: 60,
    description: 'Live quotes from the bridge (md.tick.<venue>.<symbol>); short retention' },
  SIGNALS: { name: 'SIGNALS', subjects: ['sig.evt.>'], retention: 'limits', maxAgeSeconds: 90 * DAY, duplicateWindowSeconds: 600,
    description: 'Strategy signals (sig.evt.<strategy>.<symbol>), for audit and replay' },
  EXEC_CMD: { name: 'EXEC_CMD', subjects: ['exec.cmd.>'], retention: 'workqueue', maxAgeSeconds: 7 * DAY, duplicateWindowSeconds: 600,
    description: 'Order commands from risk-guard to execution (exec.cmd.<account>.<command>); each handled once' },
  EXEC_EVT: { name: 'EXEC_EVT', subjects: ['exec.evt.>'], retention: 'limits', maxAgeSeconds: 365 * DAY, duplicateWindowSeconds: 600,
    description: 'Order, fill, position and account events from execution (exec.evt.<account>.<event>); source of trade history' },
  RISK_EVT: { name: 'RISK_EVT', subjects: ['risk.evt.>'], retention: 'limits', maxAgeSeconds: 365 * DAY, duplicateWindowSeconds: 600,
    description: 'Risk decisions, denials, trading-state changes and breaker trips (risk.evt.<event>)' },
  DLQ: { name: 'DLQ', subjects: ['dlq.>'], retention: 'limits', maxAgeSeconds: 0, duplicateWindowSeconds: 120,
    description: 'Parked messages with the reason they could not be handled (dlq.<stream>.<consumer>); never lost' },
} as const satisfies Record<string, StreamSpec>;
export type StreamName = keyof typeof Streams;

export interface ConsumerSpec {
  readonly stream: StreamName;
  readonly durable: string;
  readonly filterSubjects: readonly string[];
  readonly description: string;
  /** Redeliveries before the message is parked in the DLQ. */
  readonly maxDeliver: number;
  /** Seconds the server waits for an ack before redelivering. */
  readonly ackWaitSeconds: number;
}

function consumer(stream: StreamName, durable: string, filterSubjects: string[], description: string,
  options: Partial<Pick<ConsumerSpec, 'maxDeliver' | 'ackWaitSeconds'>> = {}): ConsumerSpec {
  return { stream, durable: token('consumer', durable), filterSubjects, description, maxDeliver: options.maxDeliver ?? 10, ackWaitSeconds: options.ackWaitSeconds ?? 30 };
}

/** Durable consumers, one per (service, purpose). */
export const Consumers = {
  signalEngineBars: consumer('MD_BARS', 'signal-engine-bars', ['md.bar.>'], 'signal-engine: evaluates strategies on every closed bar'),
  riskGuardSignals: consumer('SIGNALS', 'risk-guard-signals', ['sig.evt.>'], 'risk-guard: sizes and vets every signal into an order command or a denial'),
  riskGuardExecutionEvents: consumer('EXEC_EVT', 'risk-guard-exec-events', ['exec.evt.>'], 'risk-guard: fills, positions and account snapshots for breakers and exposure'),
  executionCommands: (account: string) =>
    consumer('EXEC_CMD', `execution-${token('account', account)}`, [Subjects.accountCommands(account)], `execution: order commands for account ${account}`, { ackWaitSeconds: 10 }),
  marketDataTicks: consumer('MD_TICKS', 'market-data-ticks', ['md.tick.>'], 'market-data: aggregates live ticks into M1 bars and caches last quotes'),
  reportingExecutionEvents: consumer('EXEC_EVT', 'reporting-exec-events', ['exec.evt.>'], 'reporting: builds deals, positions, trades and snapshots'),
  reportingRiskEvents: consumer('RISK_EVT', 'reporting-risk-events', ['risk.evt.>'], 'reporting: records trading-state changes and breaker trips'),
} as const;

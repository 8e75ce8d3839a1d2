import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import type { Logger } from 'pino';
import { parseChannel, type ParsedChannel } from './stream-channels.js';

/** A connected, authenticated client as the hub sees it: something frames can be sent to. */
export interface StreamSubscriber {
  readonly id: string;
  /** Sends one frame; the connection decides what to do with a client that does not keep up. */
  send(frame: string): void;
}

interface ChannelState {
  readonly subscriptions: Subscription[];
  readonly subscribers: Set<StreamSubscriber>;
}

const decoder = new TextDecoder();

/**
 * Fans core NATS messages out to WebSocket clients by channel. A channel's NATS subscriptions
 * exist while at least one client wants it; each message is decoded, checked to be JSON and
 * framed once, then the same string goes to every subscriber. Position events also drop the
 * gateway's positions cache, whether or not a client listens.
 */
export class StreamHub {
  private readonly channels = new Map<string, ChannelState>();
  private positionEvents?: Subscription;
  framesSent = 0;
  malformed = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly provision: ProvisionOptions,
    private readonly logger: Logger,
    private readonly onPositionEvent: () => void = () => undefined,
  ) {}

  start(): void {
    const positions = parseChannel('positions') as Extract<ParsedChannel, { ok: true }>;
    this.positionEvents = this.nc.subscribe(subjectIn(positions.subjects[0]!, this.provision), { callback: () => this.onPositionEvent() });
  }

  /** Adds the subscriber to a channel, subscribing on NATS if it is the channel's first. */
  subscribe(subscriber: StreamSubscriber, name: string): ParsedChannel {
    const parsed = parseChannel(name);
    if (!parsed.ok) return parsed;
    let state = this.channels.get(parsed.name);
    if (!state) {
      state = { subscriptions: [], subscribers: new Set() };
      const current = state;
      for (const subject of parsed.subjects) {
        current.subscriptions.push(this.nc.subscribe(subjectIn(subject, this.provision), {
          callback: (error, msg) => {
            if (error) this.logger.warn({ err: error, channel: parsed.name }, 'stream subscription failed');
            else this.deliver(parsed.name, current, msg.subject, msg.data);
          },
        }));
      }
      this.channels.set(parsed.name, state);
    }
    state.subscribers.add(subscriber);
    return parsed;
  }

  unsubscribe(subscriber: StreamSubscriber, name: string): void {
    const state = this.channels.get(name);
    if (!state) return;
    state.subscribers.delete(subscriber);
    if (state.subscribers.size === 0) {
      for (const subscription of state.subscriptions) subscription.unsubscribe();
      this.channels.delete(name);
    }
  }

  /** Removes a departing client from every channel it had. */
  detach(subscriber: StreamSubscriber, names: Iterable<string>): void {
    for (const name of names) this.unsubscribe(subscriber, name);
  }

  /** Channels with at least one subscriber, and how many. */
  stats(): Record<string, number> {
    return Object.fromEntries([...this.channels].map(([name, state]) => [name, state.subscribers.size]));
  }

  stop(): void {
    this.positionEvents?.unsubscribe();
    for (const state of this.channels.values()) for (const subscription of state.subscriptions) subscription.unsubscribe();
    this.channels.clear();
  }

  private deliver(channel: string, state: ChannelState, fullSubject: string, data: Uint8Array): void {
    const text = decoder.decode(data);
    try {
      JSON.parse(text);
    } catch {
      this.malformed++;
      return;
    }
    const prefix = this.provision.namespace?.subject ?? '';
    const subject = prefix && fullSubject.startsWith(prefix) ? fullSubject.slice(prefix.length) : fullSubject;
    const frame = `{"type":"event","channel":${JSON.stringify(channel)},"subject":${JSON.stringify(subject)},"message":${text}}`;
    for (const subscriber of state.subscribers) {
      subscriber.send(frame);
      this.framesSent++;
    }
  }
}

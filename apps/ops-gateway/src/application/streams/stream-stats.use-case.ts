import { Inject, Injectable } from '@nestjs/common';
import { NatsService } from '@mt5/infra/nats';
import type { ConsumerInfo, StreamInfo } from '@nats-io/jetstream';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../../gateway.tokens.js';
import { unavailable } from '../gateway-error.js';

export interface ConsumerStats {
  readonly name: string;
  readonly description: string | null;
  readonly filterSubjects: string[];
  readonly pending: number;
  readonly ackPending: number;
  readonly redelivered: number;
  readonly waiting: number;
  readonly delivered: number;
  readonly ackFloor: number;
  readonly lastActive: string | null;
}

export interface StreamStats {
  readonly name: string;
  readonly description: string | null;
  readonly subjects: string[];
  readonly retention: string;
  readonly messages: number;
  readonly bytes: number;
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly consumerCount: number;
  readonly consumers: ConsumerStats[];
  readonly error?: string;
}

function consumerStats(info: ConsumerInfo): ConsumerStats {
  const filters = info.config.filter_subjects ?? (info.config.filter_subject ? [info.config.filter_subject] : []);
  const lastActive = info.delivered.last_active as unknown;
  return {
    name: info.name, description: info.config.description ?? null, filterSubjects: filters,
    pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered, waiting: info.num_waiting,
    delivered: info.delivered.stream_seq, ackFloor: info.ack_floor.stream_seq, lastActive: typeof lastActive === 'string' ? lastActive : null,
  };
}

/**
 * Every JetStream stream with its consumers: what `nats stream ls` and `nats consumer info` show
 * (messages, bytes, pending, ack pending, redelivered). A test namespace narrows it to its own streams.
 */
@Injectable()
export class StreamStatsUseCase {
  constructor(private readonly nats: NatsService, @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions) {}

  async execute(): Promise<{ streams: StreamStats[] }> {
    const namespace = this.options.provision?.namespace?.stream ?? '';
    const infos: StreamInfo[] = [];
    try {
      for await (const info of this.nats.jsm.streams.list()) if (info.config.name.startsWith(namespace)) infos.push(info);
    } catch (error) {
      throw unavailable(`JetStream did not list its streams: ${(error as Error).message}`);
    }
    const streams = await Promise.all(infos.map((info) => this.describe(info)));
    return { streams: streams.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  private async describe(info: StreamInfo): Promise<StreamStats> {
    const base = {
      name: info.config.name, description: info.config.description ?? null, subjects: info.config.subjects ?? [], retention: String(info.config.retention),
      messages: info.state.messages, bytes: info.state.bytes, firstSequence: info.state.first_seq, lastSequence: info.state.last_seq,
      consumerCount: info.state.consumer_count,
    };
    try {
      const consumers: ConsumerStats[] = [];
      for await (const consumer of this.nats.jsm.consumers.list(info.config.name)) consumers.push(consumerStats(consumer));
      return { ...base, consumers: consumers.sort((a, b) => a.name.localeCompare(b.name)) };
    } catch (error) {
      // e.g. a permission that hides EXEC_CMD's consumers from everyone but execution
      return { ...base, consumers: [], error: `consumers not listed: ${(error as Error).message}` };
    }
  }
}

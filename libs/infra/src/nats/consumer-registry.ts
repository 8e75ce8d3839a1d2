import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/logger.tokens.js';
import type { JetStreamConsumer } from './consumer-runner.js';

/**
 * Starts the app's JetStream consumers once the app is up and stops them first on shutdown
 * (before NATS drains), so an in-flight message finishes and nothing is pulled after SIGTERM.
 */
@Injectable()
export class ConsumerRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumers: JetStreamConsumer<unknown>[] = [];
  private started = false;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  register<T>(consumer: JetStreamConsumer<T>): void {
    this.consumers.push(consumer as JetStreamConsumer<unknown>);
    if (this.started) void consumer.start();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    await Promise.all(this.consumers.map((c) => c.start()));
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal, consumers: this.consumers.length }, 'stopping consumers');
    await Promise.all(this.consumers.map((c) => c.stop()));
    this.logger.info('consumers stopped, in-flight messages finished');
  }
}

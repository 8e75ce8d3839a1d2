import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from '@jest/globals';
import { UnitQueue } from './unit-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('UnitQueue', () => {
  it('runs units one at a time, urgent ones ahead of the waiting others, in arrival order within each kind', async () => {
    const queue = new UnitQueue();
    const order: string[] = [];
    let running = 0;
    const unit = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      await tick();
      order.push(name);
      running--;
    };
    await Promise.all([
      queue.run(false, unit('decision-1')), queue.run(false, unit('decision-2')), queue.run(true, unit('event-1')),
      queue.run(false, unit('decision-3')), queue.run(true, unit('event-2')),
    ]);
    expect(order).toEqual(['decision-1', 'event-1', 'event-2', 'decision-2', 'decision-3']);
    expect(queue.idle).toBe(true);
  });

  it('lets an urgent unit queued right after an urgent one finished go before a waiting other one', async () => {
    const queue = new UnitQueue();
    const order: string[] = [];
    const done = [queue.run(true, async () => { await tick(); order.push('event-1'); }), queue.run(false, async () => { order.push('decision'); })];
    // The way a consumer queues its next message: as soon as its previous unit has settled.
    done.push(done[0]!.then(() => queue.run(true, async () => { order.push('event-2'); })));
    await Promise.all(done);
    expect(order).toEqual(['event-1', 'event-2', 'decision']);
  });

  it("runs each unit in its caller's async context, and goes on after a unit that failed", async () => {
    const queue = new UnitQueue();
    const context = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const failing = context.run('first', () => queue.run(false, async () => {
      await tick();
      throw new Error('boom');
    }));
    const second = context.run('second', () => queue.run(false, async () => {
      seen.push(context.getStore());
    }));
    await expect(failing).rejects.toThrow('boom');
    await second;
    expect(seen).toEqual(['second']);
  });
});

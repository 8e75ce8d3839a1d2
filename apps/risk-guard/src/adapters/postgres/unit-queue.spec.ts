import { describe, expect, it } from '@jest/globals';
import { UnitQueue, type Queued } from './unit-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A queue whose runner records each group and waits a little, as a transaction would. */
function recording(maxGroup?: number) {
  const groups: string[][] = [];
  let running = 0;
  let overlapped = false;
  const queue = new UnitQueue<string>(async (group: readonly Queued<string>[]) => {
    running++;
    if (running > 1) overlapped = true;
    groups.push(group.map((queued) => queued.member));
    await tick();
    running--;
  }, maxGroup);
  const settled = async () => {
    while (!queue.idle) await tick();
  };
  return { queue, groups, settled, overlapped: () => overlapped };
}

describe('UnitQueue', () => {
  it('hands the runner what arrived in the same turn as one group', async () => {
    const { queue, groups, settled } = recording();
    queue.add(false, 'decision-1');
    queue.add(false, 'decision-2');
    await settled();
    expect(groups).toEqual([['decision-1', 'decision-2']]);
  });

  it('runs one group at a time; what queued meanwhile is the next group, urgent units first, each kind in arrival order', async () => {
    const { queue, groups, settled, overlapped } = recording();
    queue.add(false, 'decision-1');
    await new Promise((resolve) => setImmediate(resolve));
    queue.add(false, 'decision-2');
    queue.add(true, 'event-1');
    queue.add(false, 'decision-3');
    queue.add(true, 'event-2');
    await settled();
    expect(groups).toEqual([['decision-1'], ['event-1', 'event-2', 'decision-2', 'decision-3']]);
    expect(overlapped()).toBe(false);
  });

  it('puts at most maxGroup units in one group', async () => {
    const { queue, groups, settled } = recording(2);
    for (const name of ['a', 'b', 'c', 'd', 'e']) queue.add(false, name);
    await settled();
    expect(groups).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('goes on with the next group after a runner that failed', async () => {
    const seen: string[] = [];
    const queue = new UnitQueue<string>(async (group) => {
      seen.push(...group.map((queued) => queued.member));
      if (seen.length === 1) throw new Error('boom');
    });
    queue.add(false, 'first');
    await new Promise((resolve) => setImmediate(resolve));
    queue.add(false, 'second');
    while (!queue.idle) await tick();
    expect(seen).toEqual(['first', 'second']);
  });
});

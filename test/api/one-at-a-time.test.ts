/** api/one-at-a-time.ts: work of one key runs in arrival order, never overlapping; other keys run alongside; a failure does not stop the queue. */
import { describe, expect, it } from 'vitest';
import { OneAtATime } from '../../api/one-at-a-time.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('OneAtATime', () => {
  it('runs one key’s work in arrival order without overlap, other keys alongside, and goes on after a failure', async () => {
    const queue = new OneAtATime();
    const log: string[] = [];
    const job = (name: string, fail = false) => async () => {
      log.push(`${name} start`);
      await tick();
      await tick();
      log.push(`${name} end`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
    const results = Promise.allSettled([queue.run('order-1', job('a')), queue.run('order-1', job('b', true)), queue.run('order-2', job('x')), queue.run('order-1', job('c'))]);
    const settled = await results;
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['a', 'b failed', 'x', 'c']);
    const order1 = log.filter((l) => /^[abc] /.test(l));
    expect(order1).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    // The other order's work ran while the first order's was under way.
    expect(log.indexOf('x start')).toBeLessThan(log.indexOf('a end'));
    await tick();
    expect(queue.size).toBe(0);
  });
});

/**
 * The API's own looks (api/periodic-look.ts): held parcels to take in, openings whose workflow did
 * not start. One look at a time, and the API's close waits for the look under way.
 */
import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lookEvery } from '../../api/periodic-look.js';
import { waitUntil } from '../support/wait.js';

afterEach(() => void vi.useRealTimers());

describe('a look the API takes by itself', () => {
  it('starts when the API is ready, never runs twice at once, and the close waits for the one under way', async () => {
    // Only the look's timer is the test's: Fastify's own start-up runs on the real clock.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const app = Fastify();
    let running = 0;
    let most = 0;
    let looks = 0;
    let finished = 0;
    let release: (() => void) | undefined;
    let closing = false;
    lookEvery(app, {
      everyMs: 5,
      onClose: () => (closing = true),
      look: async () => {
        looks++;
        running++;
        most = Math.max(most, running);
        // The second look is held until the test lets it go: the timer fires many times meanwhile.
        if (looks === 2) await new Promise<void>((resolve) => (release = resolve));
        running--;
        finished++;
      },
    });
    expect(looks).toBe(0);
    await app.ready();
    expect(looks).toBe(1);
    await waitUntil('the first look done', () => finished === 1);
    vi.advanceTimersByTime(5);
    await waitUntil('the second look under way', () => release !== undefined);
    // Twenty ticks with the second look still running: none started beside it.
    vi.advanceTimersByTime(100);
    expect(looks).toBe(2);
    const closed = app.close();
    await waitUntil('the close told the look', () => closing);
    expect(finished).toBe(1);
    release!();
    await closed;
    expect([most, finished]).toEqual([1, 2]);
  });
});

/**
 * The whole platform as `npm start` runs it, for tests over real HTTP: its own database, the
 * project's dev server with a virtual clock (`skip` moves it), the worker, the API, the dev keys.
 * Call `usePlatform()` at the top of a test file; read the fields inside tests (set by beforeAll).
 */
import { Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { startPlatform, type Platform } from '../../app/platform.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { httpClient } from './client.js';

export interface PlatformUnderTest {
  platform: Platform;
  db: Db;
  /** The dev server's test service (moves the virtual clock). */
  temporal: Connection;
  keys: Record<string, string>;
  call: ReturnType<typeof httpClient>['call'];
  until: ReturnType<typeof httpClient>['until'];
  untilStep: ReturnType<typeof httpClient>['untilStep'];
  /** Lets virtual time run forward by `seconds` (timers fire on the way). */
  skip(seconds: number): Promise<void>;
}

export function usePlatform(env: Record<string, string> = {}): PlatformUnderTest {
  const ctx = {} as PlatformUnderTest;
  let drop: (() => Promise<void>) | undefined;
  const http = httpClient(() => ctx.platform.apiUrl);
  ctx.call = http.call;
  ctx.until = http.until;
  ctx.untilStep = http.untilStep;
  ctx.skip = async (seconds) => void (await ctx.temporal.testService!.unlockTimeSkippingWithSleep({ duration: { seconds: seconds as never } }));

  beforeAll(async () => {
    const t = await createTestDatabase({ migrate: false });
    drop = t.drop;
    // The looks for unstarted openings and for held parcels to take in run on the wall clock: their tests
    // (test/e2e/unstarted-openings-over-http.test.ts, return-parcels-over-http.test.ts) call them themselves.
    ctx.platform = await startPlatform(loadConfig({ PORT: '0', DATABASE_URL: t.url, DATA_DIR: `.data/test-${t.url.split('/').pop()}`, ...env }), { timeSkipping: true, unstartedOpenings: false, heldParcelIntake: false });
    ctx.keys = ctx.platform.keys as Record<string, string>;
    ctx.db = createPrisma(t.url);
    ctx.temporal = await Connection.connect({ address: ctx.platform.temporalAddress, [InternalConnectionOptionsSymbol]: { supportsTestService: true } } as never);
  }, 120_000);

  afterAll(async () => {
    await ctx.temporal?.close();
    await ctx.db?.$disconnect();
    await ctx.platform?.stop();
    await drop?.();
  });
  return ctx;
}

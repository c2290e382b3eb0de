import type { Engine } from '../engine/engine.js';
import { invalidArgument } from '../errors.js';
import type { Handlers } from '../grpc.js';
import { msOf, timestamp } from '../proto.js';

/** temporal.api.testservice.v1.TestService: the virtual clock, as `TestWorkflowEnvironment.createTimeSkipping` uses it. */
export function testService(e: Engine): Handlers {
  const clock = e.clock;
  /** Resolves once virtual time reaches `at`; the caller decides whether time may skip meanwhile. */
  const until = (at: number) => new Promise<void>((resolve) => (at <= clock.now() ? resolve() : clock.schedule(at, resolve)));

  return {
    LockTimeSkipping: () => {
      clock.lockUser();
      return {};
    },
    UnlockTimeSkipping: () => {
      clock.unlockUser();
      return {};
    },
    GetCurrentTime: () => ({ time: timestamp(clock.now()) }),
    UnlockTimeSkippingWithSleep: async (req) => {
      const ms = msOf(req.duration);
      if (ms < 0) throw invalidArgument('duration must not be negative');
      // One lock given back while sleeping (it may be the lock of the activity calling it) and
      // taken again when the time comes, in the clock's own task as the Java test server does.
      await new Promise<void>((resolve) => clock.unlockUntil(clock.now() + ms, resolve));
      return {};
    },
    Sleep: async (req) => {
      const ms = msOf(req.duration);
      if (ms < 0) throw invalidArgument('duration must not be negative');
      await until(clock.now() + ms);
      return {};
    },
    SleepUntil: async (req) => {
      await until(msOf(req.timestamp));
      return {};
    },
  };
}

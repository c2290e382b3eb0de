/**
 * The official testing API (`TestWorkflowEnvironment`: `env.sleep`, `env.currentTimeMs`, the
 * time-skipping `env.client`, `env.nativeConnection` for workers) around the project's dev server
 * started in this process with `startDevServer({ port: 0, timeSkipping: true })`.
 *
 * Why not `TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type:
 * 'existing-path' } } })`: the SDK gives a spawned server 5 seconds to answer, and on a loaded
 * 2-core machine a fresh Node process loading the server takes longer than that, so whole suites
 * failed in their beforeAll (their tests reported as skipped). In process there is nothing to wait
 * for: the server listens when `startDevServer` resolves. The spawned executable keeps its own
 * tests (devserver/test/ephemeral.test.ts).
 *
 * The SDK's `createFromExistingServer` would connect without the test service (no time
 * skipping), so this subclass builds the environment the way `createTimeSkipping` does — both
 * connections with `supportsTestService` — through the constructor the SDK leaves to subclasses.
 */
import { Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { startDevServer, type DevServer, type DevServerOptions } from '../../devserver/src/index.js';

type Options = Omit<DevServerOptions, 'port' | 'timeSkipping' | 'dbFilename'>;

export class InProcessTimeSkippingEnvironment extends TestWorkflowEnvironment {
  private constructor(
    readonly devServer: DevServer,
    connection: Connection,
    nativeConnection: NativeConnection,
  ) {
    // The options the SDK's own factories pass (server 'existing': teardown() kills no process).
    super(Runtime.instance(), { server: { type: 'existing' }, client: {}, plugins: [] } as never, true, 'existing', connection, nativeConnection, 'default', devServer.address);
  }

  static async start(options: Options = {}): Promise<InProcessTimeSkippingEnvironment> {
    const server = await startDevServer({ ...options, port: 0, timeSkipping: true });
    try {
      const internal = { [InternalConnectionOptionsSymbol]: { supportsTestService: true } };
      const nativeConnection = await NativeConnection.connect({ address: server.address, ...internal });
      const connection = await Connection.connect({ address: server.address, ...internal }).catch(async (err) => {
        await nativeConnection.close();
        throw err;
      });
      return new InProcessTimeSkippingEnvironment(server, connection, nativeConnection);
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  /** Closes both connections, then stops the server. */
  override async teardown(): Promise<void> {
    try {
      await super.teardown();
    } finally {
      await this.devServer.stop();
    }
  }
}

/** A time-skipping test environment on the project's dev server, in this process. */
export function createTimeSkippingEnvironment(options: Options = {}): Promise<TestWorkflowEnvironment> {
  return InProcessTimeSkippingEnvironment.start(options);
}

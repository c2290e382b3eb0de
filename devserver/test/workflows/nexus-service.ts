/** The Nexus service of the conformance suite: shared by the caller workflows (bundle) and the handler (nexus.test.ts). */
import * as nexus from 'nexus-rpc';

export interface HelloInput {
  name: string;
  /** The handler workflow waits until it is cancelled. */
  waitForCancel?: boolean;
  /** The handler workflow sleeps this long first. */
  sleepMs?: number;
}

export const greetingService = nexus.service('devserver-greeting', {
  /** Synchronous: answered in the Nexus task. */
  echo: nexus.operation<string, string>(),
  /** Workflow-run: starts `nexusHelloWorkflow` and completes with its result. */
  hello: nexus.operation<HelloInput, string>(),
  /** Synchronous: fails with an OperationError (state failed). */
  fail: nexus.operation<string, string>(),
  /** Synchronous: the handler throws a non-retryable ApplicationFailure (a non-retryable handler error). */
  crash: nexus.operation<string, string>(),
});
